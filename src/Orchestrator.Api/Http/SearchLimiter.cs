using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;
using Orchestrator.Api.Errors;

namespace Orchestrator.Api.Http;

public sealed class SearchLimitOptions
{
    /// <summary>Uncached <c>GET /jobs</c> queries run at once; 0 turns the limit off.</summary>
    public int ListQueryConcurrency { get; set; } = 2 * Environment.ProcessorCount;

    /// <summary>How many more wait (without holding a thread); beyond them, 503 with <c>Retry-After</c>.</summary>
    public int ListQueryQueue { get; set; } = 100;
}

/// <summary>SQLite runs on the request's thread: a flood of searches would take every pool thread, /healthz's too.</summary>
public sealed class SearchLimiter : IDisposable
{
    public SearchLimiter(IOptions<SearchLimitOptions> options)
    {
        var limits = options.Value;
        if (limits.ListQueryConcurrency > 0)
        {
            Limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = limits.ListQueryConcurrency,
                QueueLimit = Math.Max(0, limits.ListQueryQueue),
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            });
            // Each running search blocks a pool thread for as long as SQLite works. The pool only adds threads slowly
            // beyond its minimum (the processor count), so keep that many more ready for everything else.
            ThreadPool.GetMinThreads(out var workers, out var completionPorts);
            ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount + limits.ListQueryConcurrency), completionPorts);
        }
    }

    public ConcurrencyLimiter? Limiter { get; }

    public void Dispose() => Limiter?.Dispose();
}

public sealed class SearchLimitFilter(SearchLimiter searches) : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        if (searches.Limiter is null)
        {
            await next();
            return;
        }

        using var lease = await searches.Limiter.AcquireAsync(1, context.HttpContext.RequestAborted);
        if (!lease.IsAcquired)
            throw new DatabaseBusyException(retryAfterSeconds: 1);
        await next();
    }
}
