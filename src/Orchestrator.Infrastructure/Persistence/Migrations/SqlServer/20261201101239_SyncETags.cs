using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Orchestrator.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SyncETags : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SyncETags",
                columns: table => new
                {
                    UrlHash = table.Column<byte[]>(type: "binary(32)", fixedLength: true, maxLength: 32, nullable: false),
                    Url = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    ETag = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    JobId = table.Column<long>(type: "bigint", nullable: true),
                    VouchesFor = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    SeenAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncETags", x => x.UrlHash);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SyncETags_JobId",
                table: "SyncETags",
                column: "JobId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SyncETags");
        }
    }
}
