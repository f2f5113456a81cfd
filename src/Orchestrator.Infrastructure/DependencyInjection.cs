using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.Infrastructure;

public static class DependencyInjection
{
    /// <summary>
    /// A list of values in a query (a page's job ids, the <c>state</c> filter) goes as one array parameter:
    /// <c>json_each</c> on SQLite, <c>OPENJSON</c> on SQL Server. EF Core 10's default, one parameter per value,
    /// gives SQL that depends on how many values there are, which EF rebuilds on every execution under a lock
    /// (docs/performance.md), and which compiled queries could not share.
    /// </summary>
    internal const ParameterTranslationMode CollectionMode = ParameterTranslationMode.Parameter;

    /// <summary>Totals kept per data version: each is a few dozen bytes, and keys come from requests.</summary>
    private const int MaxCachedCounts = 10_000;

    /// <summary>
    /// Registers the DbContext of the provider <c>Database:Provider</c> names (<c>Sqlite</c> by default, or
    /// <c>SqlServer</c>) over <c>ConnectionStrings:Orchestrator</c>, and exposes it to handlers as
    /// <see cref="IOrchestratorDbContext"/>. Configuration is read when the context is first resolved, so
    /// settings layered on later (tests, command-line overrides) are the ones used. Every context also gets the
    /// EF Core interceptors registered as <see cref="IInterceptor"/> (the tests count statements with one).
    /// </summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section));

        services.AddDbContext<SqliteOrchestratorDbContext>((sp, builder) =>
        {
            var (options, connectionString) = Settings(sp);
            var contentRoot = sp.GetRequiredService<IHostEnvironment>().ContentRootPath;
            builder.UseSqlite(SqliteConnectionString(connectionString, contentRoot),
                    sql => sql.CommandTimeout(options.CommandTimeoutSeconds).UseParameterizedCollectionMode(CollectionMode))
                .AddInterceptors(new SqliteConnectionSettings(options))
                .AddInterceptors(sp.GetServices<IInterceptor>());
        });
        services.AddDbContext<SqlServerOrchestratorDbContext>((sp, builder) =>
        {
            var (options, connectionString) = Settings(sp);
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException(
                    $"Database:Provider is SqlServer but ConnectionStrings:{DatabaseOptions.ConnectionStringName} is empty.");
            builder.UseSqlServer(connectionString,
                    sql => sql.CommandTimeout(options.CommandTimeoutSeconds).UseParameterizedCollectionMode(CollectionMode))
                .AddInterceptors(sp.GetServices<IInterceptor>());
        });

        services.AddScoped<OrchestratorDbContext>(sp => UsesSqlServer(sp)
            ? sp.GetRequiredService<SqlServerOrchestratorDbContext>()
            : sp.GetRequiredService<SqliteOrchestratorDbContext>());
        // Requests read through their own context: on SQLite its connection is opened read-only, so the request
        // path cannot write whatever a handler does; migrations, import and seed use the context above.
        // Those contexts are pooled: creating one resolves a few dozen EF Core services, about 7% of a first
        // page's time at 64 concurrent requests (docs/performance.md). Disposing the scope returns it.
        services.AddSingleton(sp => new ReadOnlySqliteContexts(new PooledDbContextFactory<SqliteOrchestratorDbContext>(ReadOnlyOptions(sp))));
        services.AddScoped(sp => new RequestDbContext(UsesSqlServer(sp)
            ? sp.GetRequiredService<OrchestratorDbContext>()
            : sp.GetRequiredService<ReadOnlySqliteContexts>().Pool.CreateDbContext()));
        services.AddScoped<IOrchestratorDbContext>(sp => sp.GetRequiredService<RequestDbContext>().Context);
        // Every statement of a request reads one snapshot, opened by the first that needs it (ADR 0006).
        services.AddScoped<RequestSnapshot>();
        services.AddSingleton(sp => UsesSqlServer(sp)
            ? LatestDataVersion.SqlServer(Settings(sp).ConnectionString!)
            : LatestDataVersion.Sqlite(ReadOnlyConnectionString(sp), Settings(sp).Options.CommandTimeoutSeconds));
        services.AddSingleton(new VersionedCache<int>(MaxCachedCounts));
        services.AddScoped<IRowCounts, VersionedRowCounts>();
        services.AddScoped<DatabaseInitializer>();
        services.AddScoped<SqlServerReadiness>();
        return services;
    }

    private static bool UsesSqlServer(IServiceProvider services) =>
        services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.SqlServer;

    private static string ReadOnlyConnectionString(IServiceProvider services)
    {
        var (_, connectionString) = Settings(services);
        var contentRoot = services.GetRequiredService<IHostEnvironment>().ContentRootPath;
        return new SqliteConnectionStringBuilder(SqliteConnectionString(connectionString, contentRoot))
        {
            Mode = SqliteOpenMode.ReadOnly,
        }.ToString();
    }

    private static DbContextOptions<SqliteOrchestratorDbContext> ReadOnlyOptions(IServiceProvider services) =>
        ReadOnlySqliteOptions(ReadOnlyConnectionString(services), Settings(services).Options,
            services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>(), services.GetServices<IInterceptor>());

    /// <summary>The options of the requests' read-only contexts (also what the benchmarks measure).</summary>
    internal static DbContextOptions<SqliteOrchestratorDbContext> ReadOnlySqliteOptions(
        string readOnlyConnectionString, DatabaseOptions options, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory,
        IEnumerable<IInterceptor>? interceptors = null) =>
        new DbContextOptionsBuilder<SqliteOrchestratorDbContext>()
            .UseSqlite(readOnlyConnectionString,
                sql => sql.CommandTimeout(options.CommandTimeoutSeconds).UseParameterizedCollectionMode(CollectionMode))
            .UseLoggerFactory(loggerFactory)
            // EF Core's check for two operations at once on a context sets an AsyncLocal on every row it reads
            // (a new ExecutionContext each time: 15% of a first page's allocations). A handler awaits each query
            // before the next, and the unit tests' contexts keep the check.
            .EnableThreadSafetyChecks(false)
            .AddInterceptors(new SqliteFileGuard(readOnlyConnectionString), new SqliteConnectionSettings(options))
            .AddInterceptors(new SqliteStatementInterrupter())
            .AddInterceptors(interceptors ?? [])
            .Options;

    private sealed record ReadOnlySqliteContexts(PooledDbContextFactory<SqliteOrchestratorDbContext> Pool);

    private static (DatabaseOptions Options, string? ConnectionString) Settings(IServiceProvider services) =>
        (services.GetRequiredService<IOptions<DatabaseOptions>>().Value,
         services.GetRequiredService<IConfiguration>().GetConnectionString(DatabaseOptions.ConnectionStringName));

    /// <summary>A relative SQLite file is placed in the content root, wherever the process was started.</summary>
    internal static string SqliteConnectionString(string? configured, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(
            string.IsNullOrWhiteSpace(configured) ? "Data Source=orchestrator.db" : configured);
        if (builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        return builder.ToString();
    }
}
