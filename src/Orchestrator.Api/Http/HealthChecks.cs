using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orchestrator.Api.Errors;
using Orchestrator.Application.Common.Interfaces;

namespace Orchestrator.Api.Http;

/// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: it can also read the job database.</summary>
internal static class HealthChecks
{
    public static IServiceCollection AddOrchestratorHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        return services;
    }

    public static void MapOrchestratorHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = Write }).AllowAnonymous();
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = Write,
        }).AllowAnonymous();
    }

    private static Task Write(HttpContext context, HealthReport report)
    {
        if (report.Status != HealthStatus.Healthy)
        {
            return OrchestratorErrors.Error(context.Response.StatusCode, ErrorKinds.DatabaseUnavailable, "The job database is unavailable.",
                report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString().ToLowerInvariant())).WriteAsync(context);
        }

        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("""{"status":"healthy"}""");
    }
}

internal sealed class DatabaseReadyCheck(IOrchestratorDbContext db, ILogger<DatabaseReadyCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await db.Jobs.AnyAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            logger.LogWarning("Readiness: the job database cannot be read: {Reason}", e.Message);
            return HealthCheckResult.Unhealthy("The job database cannot be read.");
        }
    }
}
