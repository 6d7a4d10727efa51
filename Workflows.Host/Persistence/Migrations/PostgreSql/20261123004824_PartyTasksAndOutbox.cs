using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace Workflows.Host.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class PartyTasksAndOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_outbox_SentAt_QueuedAt",
                table: "outbox");

            migrationBuilder.AddColumn<byte[]>(
                name: "Mime",
                table: "outbox",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Model",
                table: "outbox",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<Instant>(
                name: "NextAttemptAt",
                table: "outbox",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: NodaTime.Instant.FromUnixTimeTicks(0L));

            migrationBuilder.AddColumn<Guid>(
                name: "PartyTaskId",
                table: "outbox",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "outbox",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Template",
                table: "outbox",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "party_tasks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    InstanceId = table.Column<Guid>(type: "uuid", nullable: false),
                    ActivityId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    PartyId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    PartyName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Contacts = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Deadline = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TokenExpiresAt = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    CreatedAt = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    RemindersSent = table.Column<int>(type: "integer", nullable: false),
                    LastRemindedAt = table.Column<Instant>(type: "timestamp with time zone", nullable: true),
                    RykkereSent = table.Column<int>(type: "integer", nullable: false),
                    AnsweredAt = table.Column<Instant>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_party_tasks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_party_tasks_instances_InstanceId",
                        column: x => x.InstanceId,
                        principalTable: "instances",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_Status_NextAttemptAt",
                table: "outbox",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_party_tasks_InstanceId",
                table: "party_tasks",
                column: "InstanceId");

            migrationBuilder.CreateIndex(
                name: "IX_party_tasks_PartyId_Status",
                table: "party_tasks",
                columns: new[] { "PartyId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_party_tasks_Status_Deadline",
                table: "party_tasks",
                columns: new[] { "Status", "Deadline" });

            migrationBuilder.CreateIndex(
                name: "IX_party_tasks_TokenHash",
                table: "party_tasks",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "party_tasks");

            migrationBuilder.DropIndex(
                name: "IX_outbox_Status_NextAttemptAt",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "Mime",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "Model",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "NextAttemptAt",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "PartyTaskId",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "Template",
                table: "outbox");

            migrationBuilder.CreateIndex(
                name: "IX_outbox_SentAt_QueuedAt",
                table: "outbox",
                columns: new[] { "SentAt", "QueuedAt" });
        }
    }
}
