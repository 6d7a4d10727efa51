using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Workflows.Host.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class Decisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Decision",
                table: "party_tasks",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Decision",
                table: "answers",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Decision",
                table: "party_tasks");

            migrationBuilder.DropColumn(
                name: "Decision",
                table: "answers");
        }
    }
}
