using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Orchestrator.Api.Links;

namespace Orchestrator.UnitTests.Api.Links;

public sealed class RequestJobLinksTests
{
    private static RequestJobLinks FromConfiguration(string publicBaseUrl, HttpContext? request = null) =>
        new(new HttpContextAccessor { HttpContext = request }, Options.Create(new PublicUrlOptions { PublicBaseUrl = publicBaseUrl }));

    private static RequestJobLinks FromRequest(string scheme, string host, string pathBase = "")
    {
        var httpContext = new DefaultHttpContext();
        httpContext.Request.Scheme = scheme;
        httpContext.Request.Host = new HostString(host);
        httpContext.Request.PathBase = new PathString(pathBase);
        httpContext.Request.Path = "/orchestrator/v1/jobs";
        return new(new HttpContextAccessor { HttpContext = httpContext }, Options.Create(new PublicUrlOptions()));
    }

    [TestCase("https://orchestrator.example.com:8143")]
    [TestCase("https://orchestrator.example.com:8143/")]
    public void Configured_base_url_with_or_without_a_trailing_slash(string baseUrl)
    {
        var links = FromConfiguration(baseUrl);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(links.Job(1234), Is.EqualTo("https://orchestrator.example.com:8143/orchestrator/v1/jobs/1234"));
            Assert.That(links.Nodes(1234), Is.EqualTo("https://orchestrator.example.com:8143/orchestrator/v1/jobs/1234/nodes"));
            Assert.That(links.Report(1234), Is.EqualTo("https://orchestrator.example.com:8143/orchestrator/v1/jobs/1234/report"));
            Assert.That(links.Events(1234), Is.EqualTo("https://orchestrator.example.com:8143/orchestrator/v1/jobs/1234/events"));
            Assert.That(links.Events(1234, 10), Is.EqualTo("https://orchestrator.example.com:8143/orchestrator/v1/jobs/1234/events?start=10"));
        }
    }

    [Test]
    public void Configured_base_url_with_a_path_keeps_the_path()
    {
        var links = FromConfiguration("https://gateway.example.com/pe/");

        Assert.That(links.Job(7), Is.EqualTo("https://gateway.example.com/pe/orchestrator/v1/jobs/7"));
    }

    [Test]
    public void Configured_base_url_wins_over_the_request()
    {
        var request = new DefaultHttpContext();
        request.Request.Scheme = "http";
        request.Request.Host = new HostString("internal", 5000);

        var links = FromConfiguration("https://orchestrator.example.com:8143", request);

        Assert.That(links.Job(1), Is.EqualTo("https://orchestrator.example.com:8143/orchestrator/v1/jobs/1"));
    }

    [Test]
    public void Request_scheme_host_and_port()
    {
        var links = FromRequest("https", "orchestrator.example.com:8143");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(links.Job(1234), Is.EqualTo("https://orchestrator.example.com:8143/orchestrator/v1/jobs/1234"));
            Assert.That(links.Events(1234, 1), Is.EqualTo("https://orchestrator.example.com:8143/orchestrator/v1/jobs/1234/events?start=1"));
        }
    }

    [Test]
    public void Request_without_a_port_and_with_a_path_base()
    {
        var links = FromRequest("http", "localhost", "/pe");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(links.Nodes(3), Is.EqualTo("http://localhost/pe/orchestrator/v1/jobs/3/nodes"));
            Assert.That(links.Report(3), Is.EqualTo("http://localhost/pe/orchestrator/v1/jobs/3/report"));
        }
    }

    [Test]
    public void Large_ids_are_written_in_invariant_digits()
    {
        var links = FromConfiguration("https://o.example.com");

        Assert.That(links.Events(long.MaxValue, 1234567890123), Is.EqualTo(
            "https://o.example.com/orchestrator/v1/jobs/9223372036854775807/events?start=1234567890123"));
    }

    [Test]
    public void Without_configuration_or_request_links_cannot_be_built()
    {
        var links = new RequestJobLinks(new HttpContextAccessor(), Options.Create(new PublicUrlOptions { PublicBaseUrl = " " }));

        Assert.That(() => links.Job(1), Throws.InvalidOperationException);
    }
}
