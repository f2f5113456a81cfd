using System.Collections.Concurrent;
using System.Net;

namespace Orchestrator.FunctionalTests.Sync;

/// <summary>
/// Sits between the sync engine and the real upstream: each request goes to <c>fault</c>, which answers it itself
/// (a 429, a 503, a 404, a cut network) or passes it on and may rewrite the answer.
/// </summary>
internal sealed class FaultInjector(Func<HttpRequestMessage, Func<Task<HttpResponseMessage>>, Task<HttpResponseMessage>> fault)
{
    private readonly Func<HttpRequestMessage, Func<Task<HttpResponseMessage>>, Task<HttpResponseMessage>> _fault = fault;

    public ConcurrentQueue<(string PathAndQuery, bool Conditional, HttpStatusCode? Status)> Seen { get; } = new();

    public HttpMessageHandler Wrap(HttpMessageHandler inner) => new Handler(this) { InnerHandler = inner };

    public int Count(string pathAndQuery) => Seen.Count(s => s.PathAndQuery == pathAndQuery);

    public static HttpResponseMessage Answer(HttpStatusCode status, string body, Action<HttpResponseMessage>? headers = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        headers?.Invoke(response);
        return response;
    }

    private sealed class Handler(FaultInjector injector) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.PathAndQuery;
            try
            {
                var response = await injector._fault(request, () => base.SendAsync(request, cancellationToken));
                injector.Seen.Enqueue((path, request.Headers.IfNoneMatch.Count > 0, response.StatusCode));
                return response;
            }
            catch (HttpRequestException)
            {
                injector.Seen.Enqueue((path, request.Headers.IfNoneMatch.Count > 0, null));
                throw;
            }
        }
    }
}
