using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace Workflows.Host.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class UnmatchedMailDismissal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DismissalReason",
                table: "unmatched_mail",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<Instant>(
                name: "DismissedAt",
                table: "unmatched_mail",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DismissedBy",
                table: "unmatched_mail",
                type: "character varying(320)",
                maxLength: 320,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DismissalReason",
                table: "unmatched_mail");

            migrationBuilder.DropColumn(
                name: "DismissedAt",
                table: "unmatched_mail");

            migrationBuilder.DropColumn(
                name: "DismissedBy",
                table: "unmatched_mail");
        }
    }
}
