using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Dashboard;

/// <summary>
/// How the API serves the dashboard's files at /dashboard/: history routing, a strict CSP, no credentials needed,
/// and a page that says how to build it when it is not built. The files are the committed index.html and a
/// stand-in bundle written by the test; the real bundle runs in <see cref="DashboardBrowserTests"/>.
/// </summary>
[TestFixture]
public sealed class DashboardServingTests
{
    private const string Csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    private const string Bundle = "console.log('dashboard');\n";

    private string _built = "";
    private string _empty = "";
    private string _index = "";

    [OneTimeSetUp]
    public void WriteFiles()
    {
        var root = Path.Combine(Path.GetTempPath(), "orchestrator-dashboard-tests", Guid.NewGuid().ToString("N"));
        _built = Directory.CreateDirectory(Path.Combine(root, "dist")).FullName;
        _empty = Directory.CreateDirectory(Path.Combine(root, "empty")).FullName;
        _index = File.ReadAllText(Path.Combine(NodeTool.RepositoryRoot(), "src", "Orchestrator.Dashboard", "index.html"));
        File.WriteAllText(Path.Combine(_built, "index.html"), _index);
        File.WriteAllText(Path.Combine(_built, "app.js"), Bundle);
    }

    [OneTimeTearDown]
    public void DeleteFiles() => Directory.Delete(Path.GetDirectoryName(_built)!, recursive: true);

    [TestCase("/dashboard/")]
    [TestCase("/dashboard/jobs/1234")]
    [TestCase("/dashboard/jobs/1234/report?node_state=failed")]
    public async Task Every_route_of_the_app_answers_its_index_page(string path)
    {
        await using var factory = Factory(_built);
        using var response = await factory.CreateClient().GetAsync(path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/html; charset=utf-8"));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(_index));
            Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo(Csp));
            Assert.That(response.Headers.CacheControl?.NoCache, Is.True);
            Assert.That(response.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
        }
    }

    [Test]
    public async Task Without_the_slash_it_redirects_to_the_app()
    {
        await using var factory = Factory(_built);
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        using var response = await client.GetAsync("/dashboard?state=failed");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/dashboard/?state=failed"));
    }

    [Test]
    public async Task Files_are_served_with_their_type_and_an_etag_that_revalidates()
    {
        await using var factory = Factory(_built);
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/dashboard/app.js");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/dashboard/app.js");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var revalidated = await client.SendAsync(again);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(Bundle));
            Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo(Csp));
            Assert.That(revalidated.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        }
    }

    [TestCase("/dashboard/missing.js")]
    [TestCase("/dashboard/jobs/app.css")]
    public async Task A_missing_file_is_the_api_404(string path)
    {
        await using var factory = Factory(_built);
        using var response = await factory.CreateClient().GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        JsonAssert.AreEqual($$$"""{"kind":"puppetlabs.orchestrator/not-found","msg":"No resource at {{{path}}}","details":{"path":"{{{path}}}"}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Not_built_it_says_how_to_build_it()
    {
        await using var factory = Factory(_empty);
        using var response = await factory.CreateClient().GetAsync("/dashboard/jobs/1234");
        var html = await response.Content.ReadAsStringAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.ToString(), Is.EqualTo("text/html; charset=utf-8"));
            Assert.That(html, Does.Contain("<h1>The dashboard has not been built</h1>"));
            Assert.That(html, Does.Contain($"<code>{_empty}</code>"));
            Assert.That(html, Does.Contain("Install Node.js 20 or later"));
            Assert.That(html, Does.Contain("<code>npm ci</code> and <code>npm run build</code> in <code>src/Orchestrator.Dashboard</code>"));
            Assert.That(html, Does.Contain("<a href=\"/swagger\">Swagger UI</a>"));
        }
    }

    [Test]
    public async Task Disabled_it_is_not_there()
    {
        await using var factory = Factory(_built);
        factory.Settings["Dashboard:Enabled"] = "false";
        using var response = await factory.CreateClient().GetAsync("/dashboard/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        JsonAssert.AreEqual("""{"kind":"puppetlabs.orchestrator/not-found","msg":"No resource at /dashboard/","details":{"path":"/dashboard/"}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task The_page_needs_no_credentials_and_the_api_still_does()
    {
        await using var factory = Factory(_built);
        factory.Settings["Auth:Mode"] = "";
        factory.Settings["Auth:Tokens:0:Name"] = "dashboard";
        factory.Settings["Auth:Tokens:0:Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("a-token-nobody-sends")));
        factory.Settings["Auth:Tokens:0:Permissions:0"] = "orchestrator:view";
        using var client = factory.CreateClient();
        using var page = await client.GetAsync("/dashboard/jobs/1234");
        using var jobs = await client.GetAsync("/orchestrator/v1/jobs");

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(jobs.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Another_api_origin_goes_into_the_page_and_its_csp()
    {
        await using var factory = Factory(_built);
        factory.Settings["Dashboard:ApiBaseUrl"] = "https://orchestrator.example.com:8143/base";
        using var response = await factory.CreateClient().GetAsync("/dashboard/");

        var expected = _index.Replace("<meta name=\"orchestrator-api\" content=\"\">",
            "<meta name=\"orchestrator-api\" content=\"https://orchestrator.example.com:8143/base\">", StringComparison.Ordinal);
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(expected));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(),
            Is.EqualTo(Csp.Replace("connect-src 'self'", "connect-src 'self' https://orchestrator.example.com:8143", StringComparison.Ordinal)));
    }

    [Test]
    public async Task Behind_a_path_base_the_page_says_where_it_lives()
    {
        await using var factory = Factory(_built);
        factory.Settings["Orchestrator:ForwardedHeaders"] = "true";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/jobs/1234");
        request.Headers.Add("X-Forwarded-Prefix", "/orchestrator-ui");
        using var response = await factory.CreateClient().SendAsync(request);

        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(_index.Replace(
            "<base href=\"/dashboard/\">", "<base href=\"/orchestrator-ui/dashboard/\">", StringComparison.Ordinal)));
    }

    private static OrchestratorApiFactory Factory(string path)
    {
        var factory = new OrchestratorApiFactory();
        factory.Settings["Dashboard:Path"] = path;
        return factory;
    }
}
