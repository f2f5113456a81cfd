namespace Orchestrator.Api.Http;

/// <summary>Headers every answer carries: no content sniffing, no referrer leaking job URLs, no framing.</summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.Remove("Server");
            return Task.CompletedTask;
        });
        return next(context);
    }
}
