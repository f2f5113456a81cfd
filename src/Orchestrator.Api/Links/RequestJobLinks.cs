using System.Globalization;
using Microsoft.Extensions.Options;
using Orchestrator.Application.Common.Interfaces;

namespace Orchestrator.Api.Links;

public sealed class PublicUrlOptions
{
    /// <summary>The scheme, host, port and path base links start with; when empty, those of the request.</summary>
    public string? PublicBaseUrl { get; set; }
}

public sealed class RequestJobLinks(IHttpContextAccessor accessor, IOptions<PublicUrlOptions> options) : IJobLinks
{
    private string? _jobsUrl;

    private string JobsUrl => _jobsUrl ??= BaseUrl().TrimEnd('/') + "/orchestrator/v1/jobs/";

    public string Job(long jobId) => JobsUrl + Id(jobId);

    public string Nodes(long jobId) => JobsUrl + Id(jobId) + "/nodes";

    public string Report(long jobId) => JobsUrl + Id(jobId) + "/report";

    public string Events(long jobId, long? start = null) =>
        JobsUrl + Id(jobId) + "/events" + (start is { } s ? "?start=" + Id(s) : "");

    private static string Id(long value) => value.ToString(CultureInfo.InvariantCulture);

    private string BaseUrl()
    {
        if (!string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl))
            return options.Value.PublicBaseUrl;
        var request = accessor.HttpContext?.Request
            ?? throw new InvalidOperationException("Links need a request or Orchestrator:PublicBaseUrl.");
        return $"{request.Scheme}://{request.Host}{request.PathBase}";
    }
}
