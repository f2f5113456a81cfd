using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Application.Common.Interfaces;
using Orchestrator.Infrastructure.Persistence;

namespace Orchestrator.Infrastructure;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the DbContext of the provider <c>Database:Provider</c> names (<c>Sqlite</c> by default,
    /// or <c>SqlServer</c>) over <c>ConnectionStrings:Orchestrator</c>, and exposes it to handlers as
    /// <see cref="IOrchestratorDbContext"/>. A relative SQLite file is placed in <paramref name="contentRoot"/>.
    /// </summary>
    public static IServiceCollection AddInfrastructure(
        this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddSingleton(options);
        var connectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);

        switch (options.Provider)
        {
            case DatabaseProvider.SqlServer:
                if (string.IsNullOrWhiteSpace(connectionString))
                    throw new InvalidOperationException(
                        $"Database:Provider is SqlServer but ConnectionStrings:{DatabaseOptions.ConnectionStringName} is empty.");
                services.AddDbContext<SqlServerOrchestratorDbContext>(o => o.UseSqlServer(
                    connectionString, sql => sql.CommandTimeout(options.CommandTimeoutSeconds)));
                services.AddScoped<OrchestratorDbContext>(sp => sp.GetRequiredService<SqlServerOrchestratorDbContext>());
                break;
            default:
                var sqlite = SqliteConnectionString(connectionString, contentRoot);
                services.AddDbContext<SqliteOrchestratorDbContext>(o => o.UseSqlite(
                    sqlite, sql => sql.CommandTimeout(options.CommandTimeoutSeconds)));
                services.AddScoped<OrchestratorDbContext>(sp => sp.GetRequiredService<SqliteOrchestratorDbContext>());
                break;
        }

        services.AddScoped<IOrchestratorDbContext>(sp => sp.GetRequiredService<OrchestratorDbContext>());
        services.AddScoped<DatabaseInitializer>();
        return services;
    }

    internal static string SqliteConnectionString(string? configured, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(
            string.IsNullOrWhiteSpace(configured) ? "Data Source=orchestrator.db" : configured);
        if (builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        return builder.ToString();
    }
}
