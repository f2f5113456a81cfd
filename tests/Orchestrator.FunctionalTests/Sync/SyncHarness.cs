using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.FunctionalTests.Infrastructure;
using Orchestrator.Infrastructure.Persistence;
using Orchestrator.Infrastructure.Seeding;
using Orchestrator.Infrastructure.Sync;

namespace Orchestrator.FunctionalTests.Sync;

/// <summary>
/// Two instances of the service: the upstream, the real API on a loopback socket, and the mirror, into whose
/// database the sync engine writes and whose API serves what it wrote.
/// </summary>
internal sealed partial class SyncHarness : IAsyncDisposable
{
    private readonly List<string> _problems = [];

    private SyncHarness(OrchestratorApiFactory upstreamData, WebApplicationFactory<Program> upstream, OrchestratorApiFactory mirror, Uri upstreamUrl)
    {
        UpstreamData = upstreamData;
        Upstream = upstream;
        Mirror = mirror;
        UpstreamUrl = upstreamUrl;
        UpstreamClient = new HttpClient { BaseAddress = upstreamUrl };
        MirrorClient = mirror.CreateClient();
    }

    /// <summary>The upstream's own host, through which tests load and change its data.</summary>
    public OrchestratorApiFactory UpstreamData { get; }

    public WebApplicationFactory<Program> Upstream { get; }

    public OrchestratorApiFactory Mirror { get; }

    public Uri UpstreamUrl { get; }

    public HttpClient UpstreamClient { get; }

    public HttpClient MirrorClient { get; }

    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems)
                return [.. _problems];
        }
    }

    /// <summary>Starts both; with <paramref name="certificate"/> the upstream serves HTTPS with it.</summary>
    public static async Task<SyncHarness> StartAsync(Action<IWebHostBuilder>? configureUpstream = null, X509Certificate2? certificate = null)
    {
        var data = new OrchestratorApiFactory();
        data.StartServer(); // migrates the upstream's database
        var upstream = data.WithWebHostBuilder(builder => configureUpstream?.Invoke(builder));
        upstream.UseKestrel(options => options.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
                listen.UseHttps(certificate);
        }));
        upstream.StartServer();
        var address = upstream.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        var mirror = new OrchestratorApiFactory();
        mirror.StartServer();
        return new SyncHarness(data, upstream, mirror, new Uri(address));
    }

    public Task ImportCaptureAsync() => UpstreamData.ImportAsync(TestData.Jobs);

    public async Task SeedUpstreamAsync(int jobs)
    {
        await using var scope = UpstreamData.Services.CreateAsyncScope();
        await new DemoDataSeeder(scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>())
            .SeedAsync(new SeedOptions { Jobs = jobs }, CancellationToken.None);
    }

    /// <summary>Small pages everywhere, so that a handful of jobs exercises paging of jobs, nodes and events.</summary>
    public SyncOptions Options(string? token = null, bool prune = false, Uri? root = null) => new()
    {
        Root = root ?? new Uri(UpstreamUrl, "orchestrator/v1/"),
        Token = token,
        Prune = prune,
        JobPageSize = 4,
        NodePageSize = 2,
        EventPageSize = 3,
        ConnectTimeout = TimeSpan.FromSeconds(3),
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(200),
    };

    public async Task<SyncSummary> SyncAsync(SyncOptions? options = null, FaultInjector? faults = null)
    {
        options ??= Options();
        using var client = new UpstreamClient(options, faults is null ? null : faults.Wrap);
        return await SyncAsync(client, options);
    }

    public Task<SyncSummary> SyncAsync(UpstreamClient client, SyncOptions options)
    {
        var synchronizer = new JobSynchronizer(Mirror.Services.GetRequiredService<IServiceScopeFactory>(), client, options, problem =>
        {
            lock (_problems)
                _problems.Add(problem);
        });
        return synchronizer.RunOnceAsync(CancellationToken.None);
    }

    public async Task<long[]> UpstreamJobIdsAsync() => await JobIdsAsync(UpstreamClient);

    public async Task<long[]> MirrorJobIdsAsync() => await JobIdsAsync(MirrorClient);

    /// <summary>Every job's four documents and the list, whole, served by both, equal but for the host in links.</summary>
    public async Task AssertMirrorEqualsUpstreamAsync()
    {
        var ids = await UpstreamJobIdsAsync();
        Assert.That(await MirrorJobIdsAsync(), Is.EqualTo(ids), "the mirror holds the upstream's jobs");
        await AssertSameAsync("/orchestrator/v1/jobs?limit=1000");
        await AssertSameAsync("/orchestrator/v1/jobs?order_by=owner&order=desc&limit=1000");
        foreach (var id in ids)
            await AssertJobSameAsync(id);
    }

    public async Task AssertJobSameAsync(long id)
    {
        foreach (var document in new[] { "", "/nodes", "/report", "/events" })
            await AssertSameAsync($"/orchestrator/v1/jobs/{id}{document}");
    }

    public async Task<string> MirrorEtagAsync(string url)
    {
        using var response = await MirrorClient.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return response.Headers.ETag!.Tag;
    }

    /// <summary>The ids the mirror's rows got when written: a job written again gets new node and status rows.</summary>
    public async Task<string> MirrorRowIdsAsync()
    {
        await using var scope = Mirror.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrchestratorDbContext>();
        var nodes = await db.JobNodes.AsNoTracking().OrderBy(n => n.Id).Select(n => n.Id).ToListAsync();
        var statuses = await db.JobStatuses.AsNoTracking().OrderBy(s => s.Id).Select(s => s.Id).ToListAsync();
        return $"nodes {string.Join(',', nodes)}; statuses {string.Join(',', statuses)}";
    }

    public async ValueTask DisposeAsync()
    {
        UpstreamClient.Dispose();
        MirrorClient.Dispose();
        await Mirror.DisposeAsync();
        await Upstream.DisposeAsync();
        await UpstreamData.DisposeAsync();
    }

    private async Task AssertSameAsync(string url)
    {
        var upstream = await GetAsync(UpstreamClient, url);
        var mirror = await GetAsync(MirrorClient, url);
        Assert.That(mirror.Status, Is.EqualTo(upstream.Status), url);
        JsonAssert.AreEqual(WithoutHost(upstream.Body), WithoutHost(mirror.Body));
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<long[]> JobIdsAsync(HttpClient client)
    {
        var list = JsonNode.Parse(await client.GetStringAsync("/orchestrator/v1/jobs?order_by=name&limit=1000"))!;
        return list["items"]!.AsArray().Select(i => long.Parse(i!["name"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    private static string WithoutHost(string json) => Host().Replace(json, "https://HOST/orchestrator/v1/");

    [GeneratedRegex(@"https?://[^/""]+/orchestrator/v1/")]
    private static partial Regex Host();
}
