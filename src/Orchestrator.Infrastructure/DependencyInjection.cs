using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.Infrastructure;

public static class DependencyInjection
{
    // One JSON array parameter per list, so that SQL does not depend on how many values there are (docs/performance.md).
    internal const ParameterTranslationMode CollectionMode = ParameterTranslationMode.Parameter;

    // Configuration is read when a context is first resolved, so settings layered on later (tests) are the ones used.
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section));

        services.AddDbContext<SqliteOrchestratorDbContext>((sp, builder) =>
        {
            var options = Settings(sp).Options;
            builder.UseSqlite(SqliteConnectionString(sp),
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
        // Requests read through pooled contexts whose SQLite connection is read-only, whatever a handler does.
        services.AddSingleton(sp => new PooledDbContextFactory<SqliteOrchestratorDbContext>(ReadOnlySqliteOptions(
            SqliteConnectionString(sp, readOnly: true), Settings(sp).Options,
            sp.GetRequiredService<ILoggerFactory>(), sp.GetServices<IInterceptor>())));
        services.AddScoped(sp => new RequestDbContext(UsesSqlServer(sp)
            ? sp.GetRequiredService<OrchestratorDbContext>()
            : sp.GetRequiredService<PooledDbContextFactory<SqliteOrchestratorDbContext>>().CreateDbContext()));
        services.AddScoped<IOrchestratorDbContext>(sp => sp.GetRequiredService<RequestDbContext>().Context);
        services.AddScoped<RequestSnapshot>();
        services.AddSingleton(sp => UsesSqlServer(sp)
            ? LatestDataVersion.SqlServer(Settings(sp).ConnectionString!)
            : LatestDataVersion.Sqlite(SqliteConnectionString(sp, readOnly: true), Settings(sp).Options.CommandTimeoutSeconds));
        services.AddSingleton(new VersionedCache<int>(sizeLimit: 10_000));
        services.AddScoped<IRowCounts, VersionedRowCounts>();
        services.AddScoped<DatabaseInitializer>();
        services.AddScoped<SqlServerReadiness>();
        return services;
    }

    private static bool UsesSqlServer(IServiceProvider services) =>
        services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == DatabaseProvider.SqlServer;

    internal static DbContextOptions<SqliteOrchestratorDbContext> ReadOnlySqliteOptions(
        string readOnlyConnectionString, DatabaseOptions options, ILoggerFactory? loggerFactory,
        IEnumerable<IInterceptor>? interceptors = null) =>
        new DbContextOptionsBuilder<SqliteOrchestratorDbContext>()
            .UseSqlite(readOnlyConnectionString,
                sql => sql.CommandTimeout(options.CommandTimeoutSeconds).UseParameterizedCollectionMode(CollectionMode))
            .UseLoggerFactory(loggerFactory)
            // The check costs an allocation on every row read (docs/performance.md); handlers await each query.
            .EnableThreadSafetyChecks(false)
            .AddInterceptors(new SqliteFileGuard(readOnlyConnectionString), new SqliteConnectionSettings(options), new SqliteStatementInterrupter())
            .AddInterceptors(interceptors ?? [])
            .Options;

    private static (DatabaseOptions Options, string? ConnectionString) Settings(IServiceProvider services) =>
        (services.GetRequiredService<IOptions<DatabaseOptions>>().Value,
         services.GetRequiredService<IConfiguration>().GetConnectionString(DatabaseOptions.ConnectionStringName));

    private static string SqliteConnectionString(IServiceProvider services, bool readOnly = false)
    {
        var configured = Settings(services).ConnectionString;
        var builder = new SqliteConnectionStringBuilder(
            string.IsNullOrWhiteSpace(configured) ? "Data Source=orchestrator.db" : configured);
        if (builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
            builder.DataSource = Path.GetFullPath(Path.Combine(services.GetRequiredService<IHostEnvironment>().ContentRootPath, builder.DataSource));
        if (readOnly)
            builder.Mode = SqliteOpenMode.ReadOnly;
        return builder.ToString();
    }
}
