using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Orchestrator.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Jobs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Command = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Description = table.Column<string>(type: "TEXT", nullable: true),
                    EnvironmentName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    OwnerLogin = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    OwnerJson = table.Column<string>(type: "TEXT", nullable: false),
                    OptionsJson = table.Column<string>(type: "TEXT", nullable: false),
                    UserdataJson = table.Column<string>(type: "TEXT", nullable: true),
                    TaskName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    Timestamp = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Jobs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "JobNodes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    JobId = table.Column<long>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Timestamp = table.Column<DateTime>(type: "TEXT", nullable: true),
                    StartTimestamp = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FinishTimestamp = table.Column<DateTime>(type: "TEXT", nullable: true),
                    TransactionUuid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Transport = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    DetailsJson = table.Column<string>(type: "TEXT", nullable: true),
                    ResultJson = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JobNodes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_JobNodes_Jobs_JobId",
                        column: x => x.JobId,
                        principalTable: "Jobs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "JobStatuses",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    JobId = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    EnterTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExitTime = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JobStatuses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_JobStatuses_Jobs_JobId",
                        column: x => x.JobId,
                        principalTable: "Jobs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "NodeEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    JobId = table.Column<long>(type: "INTEGER", nullable: false),
                    NodeId = table.Column<long>(type: "INTEGER", nullable: true),
                    Type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Timestamp = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Message = table.Column<string>(type: "TEXT", nullable: true),
                    DetailsJson = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NodeEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_NodeEvents_JobNodes_NodeId",
                        column: x => x.NodeId,
                        principalTable: "JobNodes",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_NodeEvents_Jobs_JobId",
                        column: x => x.JobId,
                        principalTable: "Jobs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_JobNodes_JobId_FinishTimestamp_Id",
                table: "JobNodes",
                columns: new[] { "JobId", "FinishTimestamp", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_JobNodes_JobId_Name",
                table: "JobNodes",
                columns: new[] { "JobId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_JobNodes_JobId_StartTimestamp_Id",
                table: "JobNodes",
                columns: new[] { "JobId", "StartTimestamp", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_JobNodes_JobId_State_Name",
                table: "JobNodes",
                columns: new[] { "JobId", "State", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_JobStatuses_JobId_EnterTime",
                table: "JobStatuses",
                columns: new[] { "JobId", "EnterTime" });

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_EnvironmentName_Id",
                table: "Jobs",
                columns: new[] { "EnvironmentName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_FinishedAt_Id",
                table: "Jobs",
                columns: new[] { "FinishedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_OwnerLogin_Id",
                table: "Jobs",
                columns: new[] { "OwnerLogin", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_State_Id",
                table: "Jobs",
                columns: new[] { "State", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_TaskName",
                table: "Jobs",
                column: "TaskName");

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_Timestamp_Id",
                table: "Jobs",
                columns: new[] { "Timestamp", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_Type_Timestamp_Id",
                table: "Jobs",
                columns: new[] { "Type", "Timestamp", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_NodeEvents_JobId_Id",
                table: "NodeEvents",
                columns: new[] { "JobId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_NodeEvents_NodeId_Id",
                table: "NodeEvents",
                columns: new[] { "NodeId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "JobStatuses");

            migrationBuilder.DropTable(
                name: "NodeEvents");

            migrationBuilder.DropTable(
                name: "JobNodes");

            migrationBuilder.DropTable(
                name: "Jobs");
        }
    }
}
