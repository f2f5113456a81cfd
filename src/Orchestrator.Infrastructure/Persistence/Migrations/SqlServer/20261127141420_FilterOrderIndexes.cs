using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Orchestrator.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class FilterOrderIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Jobs_EnvironmentName_Timestamp_Id",
                table: "Jobs",
                columns: new[] { "EnvironmentName", "Timestamp", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_OwnerLogin_Timestamp_Id",
                table: "Jobs",
                columns: new[] { "OwnerLogin", "Timestamp", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_State_Timestamp_Id",
                table: "Jobs",
                columns: new[] { "State", "Timestamp", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Jobs_EnvironmentName_Timestamp_Id",
                table: "Jobs");

            migrationBuilder.DropIndex(
                name: "IX_Jobs_OwnerLogin_Timestamp_Id",
                table: "Jobs");

            migrationBuilder.DropIndex(
                name: "IX_Jobs_State_Timestamp_Id",
                table: "Jobs");
        }
    }
}
