using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Jobs;

/// <summary>
/// The load-test ceiling endpoint exists only when Benchmark:CeilingEndpoint says so, and then as a reviewer would
/// probe it: without credentials, with a forged Host, through a redirect, with more of the URL than the path, and
/// for documents larger than its memory.
/// </summary>
[TestFixture]
public sealed class BenchmarkCeilingTests
{
    private const string Token = "ceiling-7e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b";
    private const string Unauthenticated = """{"kind":"puppetlabs.rbac/user-unauthenticated","msg":"Route requires authentication","details":{}}""";

    private OrchestratorApiFactory _factory = null!;
    private WebApplicationFactory<Program> _app = null!;
    private HttpClient _client = null!;

    [SetUp]
    public async Task StartOnLoopback()
    {
        _factory = new OrchestratorApiFactory();
        await _factory.ImportAsync(TestData.Jobs);
        _app = _factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting(Orchestrator.Api.Http.BenchmarkCeiling.Setting, "true");
            builder.UseSetting(Orchestrator.Api.Http.BenchmarkCeiling.CacheSetting, "1");
            builder.UseSetting("Auth:Mode", "");
            builder.UseSetting("Auth:Tokens:0:Name", "load-test");
            builder.UseSetting("Auth:Tokens:0:Sha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Token))));
            builder.UseSetting("Auth:Tokens:0:Permissions:0", "orchestrator:view");
            builder.ConfigureTestServices(services => services.AddTransient<IStartupFilter, MovedJobFilter>());
        });
        _app.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _app.StartServer();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        _client = new HttpClient { BaseAddress = new Uri(address) };
        _client.DefaultRequestHeaders.Add("X-Authentication", Token);
    }

    [TearDown]
    public async Task Dispose()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Test]
    public async Task Without_the_setting_the_ceiling_endpoint_is_not_found()
    {
        await using var factory = new OrchestratorApiFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/benchmark/ceiling?path=%2Forchestrator%2Fv1%2Fjobs");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Without_credentials_the_ceiling_is_unauthenticated()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/benchmark/ceiling?path=%2Forchestrator%2Fv1%2Fjobs%2F1234");
        request.Headers.Remove("X-Authentication");
        using var anonymous = new HttpClient { BaseAddress = _client.BaseAddress };

        using var response = await anonymous.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        JsonAssert.AreEqual(Unauthenticated, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task The_ceiling_answers_the_real_document_fetched_from_loopback_whatever_the_host_header()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/benchmark/ceiling?path=%2Forchestrator%2Fv1%2Fjobs%2F1234");
        request.Headers.Host = "attacker.invalid:9";

        using var response = await _client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        JsonAssert.AreEqual(TestData.Expected("job-1234.json"), body);
    }

    [Test]
    public async Task The_ceiling_follows_no_redirect()
    {
        using var response = await _client.GetAsync("/benchmark/ceiling?path=%2Forchestrator%2Fv1%2Fjobs%2Fmoved");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        JsonAssert.AreEqual(
            """{"kind":"puppetlabs.orchestrator/unknown-error","msg":"The fetch was answered 302; the ceiling copies only 200 answers and follows no redirect","details":{"status":"302"}}""",
            await response.Content.ReadAsStringAsync());
    }

    [TestCase("%2Fbenchmark%2Fceiling")]
    [TestCase("%2Forchestrator%2Fv1%2F..%2F..%2Fbenchmark%2Fceiling")]
    [TestCase("%2F%2Fattacker.invalid%2Forchestrator%2Fv1%2Fjobs")]
    [TestCase("https%3A%2F%2Fattacker.invalid%2Forchestrator%2Fv1%2Fjobs")]
    public async Task The_ceiling_fetches_only_this_api_on_this_server(string path)
    {
        using var response = await _client.GetAsync("/benchmark/ceiling?path=" + path);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body["kind"]!.GetValue<string>(), Is.EqualTo("puppetlabs.orchestrator/validation-error"));
        }
    }

    [Test]
    public async Task The_ceiling_keys_on_the_whole_url()
    {
        using var first = await _client.GetAsync("/benchmark/ceiling?path=/orchestrator/v1/jobs?limit=1");
        using var second = await _client.GetAsync("/benchmark/ceiling?path=/orchestrator/v1/jobs?limit=1&offset=1");
        using var realFirst = await _client.GetAsync("/orchestrator/v1/jobs?limit=1");
        using var realSecond = await _client.GetAsync("/orchestrator/v1/jobs?limit=1&offset=1");

        var firstBody = await first.Content.ReadAsStringAsync();
        var secondBody = await second.Content.ReadAsStringAsync();
        Assert.That(secondBody, Is.Not.EqualTo(firstBody));
        JsonAssert.AreEqual(await realFirst.Content.ReadAsStringAsync(), firstBody);
        JsonAssert.AreEqual(await realSecond.Content.ReadAsStringAsync(), secondBody);
    }

    [Test]
    public async Task The_ceiling_keeps_documents_only_up_to_its_memory_limit()
    {
        await _factory.ImportAsync(BigJob(9001, nodes: 1500, "first"));
        const string small = "/benchmark/ceiling?path=%2Forchestrator%2Fv1%2Fjobs%2F9001";
        const string large = "/benchmark/ceiling?path=%2Forchestrator%2Fv1%2Fjobs%2F9001%2Fnodes";
        var smallBefore = await _client.GetStringAsync(small);
        var largeBefore = await _client.GetStringAsync(large);

        await _factory.ImportAsync(BigJob(9001, nodes: 1500, "second"));
        var smallAfter = await _client.GetStringAsync(small);
        var largeAfter = await _client.GetStringAsync(large);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Encoding.UTF8.GetByteCount(largeBefore), Is.GreaterThan(1024 * 1024), "the nodes document is over the 1 MB limit");
            Assert.That(smallAfter, Is.EqualTo(smallBefore), "a small document is kept");
            Assert.That(largeBefore, Does.Contain("first-0"));
            Assert.That(largeAfter, Does.Contain("second-0"), "a document over the limit is fetched again, never kept");
        }
    }

    private static MemoryStream BigJob(long id, int nodes, string marker)
    {
        var padding = new string('x', 1000);
        var nodeArray = new JsonArray();
        for (var i = 0; i < nodes; i++)
        {
            nodeArray.Add(new JsonObject
            {
                ["name"] = $"node-{i:D5}.example.com",
                ["state"] = "finished",
                ["result"] = new JsonObject { ["output"] = $"{marker}-{i} {padding}" },
            });
        }

        var document = new JsonObject
        {
            ["jobs"] = new JsonArray(new JsonObject
            {
                ["job"] = new JsonObject
                {
                    ["name"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["type"] = "deploy",
                    ["state"] = "finished",
                    ["command"] = "deploy",
                    ["description"] = marker,
                    ["owner"] = new JsonObject { ["id"] = "1", ["login"] = "load" },
                    ["timestamp"] = "2016-05-20T16:45:31Z",
                },
                ["nodes"] = nodeArray,
            }),
        };
        return new MemoryStream(Encoding.UTF8.GetBytes(document.ToJsonString()));
    }

    /// <summary>Answers <c>/orchestrator/v1/jobs/moved</c> with a redirect to a real job, as a proxy or a rewrite might.</summary>
    private sealed class MovedJobFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, following) =>
            {
                if (context.Request.Path == "/orchestrator/v1/jobs/moved")
                {
                    context.Response.StatusCode = StatusCodes.Status302Found;
                    context.Response.Headers.Location = "/orchestrator/v1/jobs/1234";
                    return;
                }

                await following(context);
            });
            next(app);
        };
    }
}
