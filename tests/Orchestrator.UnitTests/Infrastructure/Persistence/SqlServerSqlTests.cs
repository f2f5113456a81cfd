using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Orchestrator.Domain.Entities;
using Orchestrator.Infrastructure;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.UnitTests.Infrastructure.Persistence;

/// <summary>
/// SQL Server's SQL, checked without a server: EF Core writes each handler query and the migration script,
/// and the T-SQL parser of SQL Server 2022 must accept every word of it.
/// </summary>
public sealed class SqlServerSqlTests
{
    private const string NeverOpened = "Server=localhost;Database=x;Integrated Security=true;TrustServerCertificate=true";

    private static SqlServerOrchestratorDbContext Context() =>
        new(new DbContextOptionsBuilder<SqlServerOrchestratorDbContext>()
            .UseSqlServer(NeverOpened, sql => sql.UseParameterizedCollectionMode(DependencyInjection.CollectionMode)).Options);

    public static IEnumerable<TestCaseData> QueryNames()
    {
        using var context = Context();
        return HandlerQueries.All(context).Select(q => new TestCaseData(q.Name).SetArgDisplayNames(q.Name)).ToArray();
    }

    private static IList<ParseError> Parse(string sql)
    {
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
        return errors;
    }

    private static string Describe(IEnumerable<ParseError> errors, string sql) =>
        string.Join("\n", errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}")) + "\n---\n" + sql;

    [Test]
    public void The_parser_rejects_sql_server_does_not_speak() =>
        Assert.That(Parse("SELECT [j].[Id] FROM [Jobs] AS [j] ORDER BY [j].[Id] LIMIT 10"), Is.Not.Empty);

    [TestCaseSource(nameof(QueryNames))]
    public void Handler_query_is_valid_t_sql(string name)
    {
        using var context = Context();
        var sql = HandlerQueries.Named(context, name).ToQueryString();

        var errors = Parse(sql);

        Assert.That(errors, Is.Empty, () => Describe(errors, sql));
    }

    [Test]
    public void Duration_order_uses_datediff_big_in_milliseconds()
    {
        using var context = Context();
        var sql = HandlerQueries.Named(context, "nodes: page by Duration Desc").ToQueryString();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sql, Does.Contain("DATEDIFF_BIG(millisecond, "));
            Assert.That(sql, Does.Contain("/ 1000.0"));
            Assert.That(sql, Does.Contain("ORDER BY"));
        }
    }

    [Test]
    public void Filters_are_parameters_not_spliced_text()
    {
        using var context = Context();
        var sql = HandlerQueries.Named(context, "list jobs: page by Owner Asc").ToQueryString();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sql, Does.Contain("DECLARE @query_Task_contains nvarchar(255) = N'%package%';"));
            Assert.That(sql, Does.Contain("LIKE @query_Task_contains"));
            Assert.That(sql.Split("SELECT", 2)[1], Does.Not.Contain("package"));
        }
    }

    [Test]
    public void Name_filters_compare_in_the_columns_binary_collation()
    {
        using var context = Context();
        var sql = HandlerQueries.Named(context, "list jobs: page by owner, environment and task").ToQueryString();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sql, Does.Contain("[j0].[TaskName] LIKE @query_Task_contains ESCAPE N'\\'"));
            Assert.That(sql, Does.Contain("[j0].[OwnerLogin] = @query_Owner"));
            Assert.That(sql, Does.Contain("[j0].[EnvironmentName] = @query_Environment"));
            // No COLLATE in the statement: the column's own collation decides, so the indexes serve the comparison.
            Assert.That(sql, Does.Not.Contain("COLLATE"));
        }
    }

    [Test]
    public void Names_are_ordinal_and_a_job_s_nodes_and_statuses_are_clustered_by_job()
    {
        using var context = Context();
        var model = context.GetService<IDesignTimeModel>().Model;
        string? Collation<T>(string property) => model.FindEntityType(typeof(T))!.FindProperty(property)!.GetCollation();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Collation<Job>(nameof(Job.OwnerLogin)), Is.EqualTo("Latin1_General_100_BIN2"));
            Assert.That(Collation<Job>(nameof(Job.EnvironmentName)), Is.EqualTo("Latin1_General_100_BIN2"));
            Assert.That(Collation<Job>(nameof(Job.TaskName)), Is.EqualTo("Latin1_General_100_BIN2"));
            Assert.That(Collation<JobNode>(nameof(JobNode.Name)), Is.EqualTo("Latin1_General_100_BIN2"));
            foreach (var entity in new[] { typeof(JobNode), typeof(JobStatus) })
            {
                var type = model.FindEntityType(entity)!;
                Assert.That(type.FindPrimaryKey()!.IsClustered(), Is.False, entity.Name);
                Assert.That(type.GetIndexes().Where(i => i.IsClustered() == true).Select(i => string.Join(",", i.Properties.Select(p => p.Name))),
                    Is.EqualTo(new[] { "JobId,Id" }), entity.Name);
            }
        }
    }

    [Test]
    public void The_clustering_migration_frees_and_restores_what_depends_on_the_keys_in_order()
    {
        using var context = Context();
        var script = context.GetService<IMigrator>().GenerateScript(
            fromMigration: "20261127221513_OwnerStateIndex", toMigration: "20261201091453_OrdinalNamesAndJobClustering");
        int At(string statement)
        {
            var at = script.IndexOf(statement, StringComparison.Ordinal);
            Assert.That(at, Is.GreaterThanOrEqualTo(0), statement);
            return at;
        }

        // SQL Server refuses to drop a key a foreign key references, or to change the collation of an indexed column.
        Assert.That(new[]
        {
            At("ALTER TABLE [NodeEvents] DROP CONSTRAINT [FK_NodeEvents_JobNodes_NodeId];"),
            At("DROP INDEX [IX_JobNodes_JobId_Name] ON [JobNodes];"),
            At("ALTER TABLE [JobNodes] DROP CONSTRAINT [PK_JobNodes];"),
            At("ALTER TABLE [JobNodes] ALTER COLUMN [Name]"),
            At("CREATE UNIQUE CLUSTERED INDEX [IX_JobNodes_JobId_Id]"),
            At("ALTER TABLE [JobNodes] ADD CONSTRAINT [PK_JobNodes] PRIMARY KEY NONCLUSTERED ([Id]);"),
            At("CREATE UNIQUE INDEX [IX_JobNodes_JobId_Name] ON [JobNodes] ([JobId], [Name]);"),
            At("ALTER TABLE [NodeEvents] ADD CONSTRAINT [FK_NodeEvents_JobNodes_NodeId]"),
        }, Is.Ordered);
        Assert.That(Parse(script), Is.Empty);
    }

    [Test]
    public void The_only_unique_index_on_imported_values_is_the_one_the_importer_checks()
    {
        // ImportReader reports duplicate node names in a job (ordinally, trailing spaces aside) before writing, so
        // the index never fails an import. A new unique index on imported values needs a check there too.
        using var context = Context();
        var model = context.GetService<IDesignTimeModel>().Model;

        var unique = model.GetEntityTypes()
            .SelectMany(e => e.GetIndexes().Where(i => i.IsUnique).Select(i => $"{e.GetTableName()}({string.Join(",", i.Properties.Select(p => p.Name))})"))
            .Order();

        // (JobId, Id) is unique because Id is: it only says so, so that the clustered index needs no uniquifier.
        Assert.That(unique, Is.EqualTo(new[] { "JobNodes(JobId,Id)", "JobNodes(JobId,Name)", "JobStatuses(JobId,Id)" }));
    }

    [Test]
    public void Idempotent_migration_script_is_valid_t_sql()
    {
        using var context = Context();
        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        var errors = Parse(script);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(errors, Is.Empty, () => Describe(errors, script));
            Assert.That(script, Does.Contain("CREATE TABLE [Jobs]"));
            Assert.That(script, Does.Contain("__EFMigrationsHistory"));
            Assert.That(script, Does.Contain("ALTER TABLE [Jobs] ALTER COLUMN [OwnerLogin] nvarchar(255) COLLATE Latin1_General_100_BIN2 NULL;"));
            Assert.That(script, Does.Contain("ALTER TABLE [JobNodes] ALTER COLUMN [Name] nvarchar(255) COLLATE Latin1_General_100_BIN2 NOT NULL;"));
            Assert.That(script, Does.Contain("CREATE UNIQUE CLUSTERED INDEX [IX_JobNodes_JobId_Id] ON [JobNodes] ([JobId], [Id]);"));
            Assert.That(script, Does.Contain("ALTER TABLE [JobStatuses] ADD CONSTRAINT [PK_JobStatuses] PRIMARY KEY NONCLUSTERED ([Id]);"));
        }
    }
}
