using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Orchestrator.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <summary>
    /// Ordinal (BIN2) collation for owner login, environment, task name and node name, as SQLite compares them; a
    /// job's nodes and statuses clustered by (JobId, Id). EF Core rebuilds the indexes on each altered column of
    /// Jobs itself. JobNodes and JobStatuses are reordered by hand so that each index is built once: the foreign key
    /// that needs PK_JobNodes and the secondary indexes go first, the table is a heap only while it has no index to
    /// maintain, and the indexes come back after the clustered index, keyed on it.
    /// </summary>
    public partial class OrdinalNamesAndJobClustering : Migration
    {
        private static readonly (string Table, string Name, string[] Columns, bool Unique)[] SecondaryIndexes =
        [
            ("JobNodes", "IX_JobNodes_JobId_Name", ["JobId", "Name"], true),
            ("JobNodes", "IX_JobNodes_JobId_State_Name", ["JobId", "State", "Name"], false),
            ("JobNodes", "IX_JobNodes_JobId_StartTimestamp_Id", ["JobId", "StartTimestamp", "Id"], false),
            ("JobNodes", "IX_JobNodes_JobId_FinishTimestamp_Id", ["JobId", "FinishTimestamp", "Id"], false),
            ("JobStatuses", "IX_JobStatuses_JobId_EnterTime", ["JobId", "EnterTime"], false),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "TaskName",
                table: "Jobs",
                type: "nvarchar(255)",
                maxLength: 255,
                nullable: true,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(255)",
                oldMaxLength: 255,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "OwnerLogin",
                table: "Jobs",
                type: "nvarchar(255)",
                maxLength: 255,
                nullable: true,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(255)",
                oldMaxLength: 255,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "EnvironmentName",
                table: "Jobs",
                type: "nvarchar(255)",
                maxLength: 255,
                nullable: true,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(255)",
                oldMaxLength: 255,
                oldNullable: true);

            migrationBuilder.DropForeignKey(
                name: "FK_NodeEvents_JobNodes_NodeId",
                table: "NodeEvents");
            DropSecondaryIndexes(migrationBuilder);

            migrationBuilder.DropPrimaryKey(
                name: "PK_JobNodes",
                table: "JobNodes");

            migrationBuilder.DropPrimaryKey(
                name: "PK_JobStatuses",
                table: "JobStatuses");

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "JobNodes",
                type: "nvarchar(255)",
                maxLength: 255,
                nullable: false,
                collation: "Latin1_General_100_BIN2",
                oldClrType: typeof(string),
                oldType: "nvarchar(255)",
                oldMaxLength: 255);

            migrationBuilder.CreateIndex(
                name: "IX_JobNodes_JobId_Id",
                table: "JobNodes",
                columns: new[] { "JobId", "Id" },
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.CreateIndex(
                name: "IX_JobStatuses_JobId_Id",
                table: "JobStatuses",
                columns: new[] { "JobId", "Id" },
                unique: true)
                .Annotation("SqlServer:Clustered", true);

            migrationBuilder.AddPrimaryKey(
                name: "PK_JobNodes",
                table: "JobNodes",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            migrationBuilder.AddPrimaryKey(
                name: "PK_JobStatuses",
                table: "JobStatuses",
                column: "Id")
                .Annotation("SqlServer:Clustered", false);

            CreateSecondaryIndexes(migrationBuilder);
            AddNodeForeignKey(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "TaskName",
                table: "Jobs",
                type: "nvarchar(255)",
                maxLength: 255,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(255)",
                oldMaxLength: 255,
                oldNullable: true,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "OwnerLogin",
                table: "Jobs",
                type: "nvarchar(255)",
                maxLength: 255,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(255)",
                oldMaxLength: 255,
                oldNullable: true,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AlterColumn<string>(
                name: "EnvironmentName",
                table: "Jobs",
                type: "nvarchar(255)",
                maxLength: 255,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(255)",
                oldMaxLength: 255,
                oldNullable: true,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.DropForeignKey(
                name: "FK_NodeEvents_JobNodes_NodeId",
                table: "NodeEvents");
            DropSecondaryIndexes(migrationBuilder);

            migrationBuilder.DropPrimaryKey(
                name: "PK_JobNodes",
                table: "JobNodes");

            migrationBuilder.DropPrimaryKey(
                name: "PK_JobStatuses",
                table: "JobStatuses");

            migrationBuilder.DropIndex(
                name: "IX_JobNodes_JobId_Id",
                table: "JobNodes");

            migrationBuilder.DropIndex(
                name: "IX_JobStatuses_JobId_Id",
                table: "JobStatuses");

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "JobNodes",
                type: "nvarchar(255)",
                maxLength: 255,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "nvarchar(255)",
                oldMaxLength: 255,
                oldCollation: "Latin1_General_100_BIN2");

            migrationBuilder.AddPrimaryKey(
                name: "PK_JobNodes",
                table: "JobNodes",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_JobStatuses",
                table: "JobStatuses",
                column: "Id");

            CreateSecondaryIndexes(migrationBuilder);
            AddNodeForeignKey(migrationBuilder);
        }

        private static void DropSecondaryIndexes(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, name, _, _) in SecondaryIndexes)
                migrationBuilder.DropIndex(name: name, table: table);
        }

        private static void CreateSecondaryIndexes(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, name, columns, unique) in SecondaryIndexes)
                migrationBuilder.CreateIndex(name: name, table: table, columns: columns, unique: unique);
        }

        private static void AddNodeForeignKey(MigrationBuilder migrationBuilder) =>
            migrationBuilder.AddForeignKey(
                name: "FK_NodeEvents_JobNodes_NodeId",
                table: "NodeEvents",
                column: "NodeId",
                principalTable: "JobNodes",
                principalColumn: "Id");
    }
}
