using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Security;

/// <summary>
/// Guessing at speed: failed authentication is counted per client address (taken from <c>X-Forwarded-For</c>
/// here, as behind a proxy) and turned away with 429 by default; the per-client rate limit keeps each token and
/// each JWT subject in its own window.
/// </summary>
[TestFixture]
public sealed class ThrottlingTests
{
    private const string DashboardToken = "dashboard-5d1f0e9b7c3a2d4e6f8a9b0c1d2e3f4a";
    private const string ReporterToken = "reporter-0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d";
    private const string Issuer = "https://rbac.example.com";
    private const string Audience = "orchestrator";
    private const string RateLimited = """{"kind":"puppetlabs.orchestrator/rate-limited","msg":"Too many requests; try again shortly","details":{}}""";
    private const string InvalidToken = """{"kind":"puppetlabs.rbac/invalid-token","msg":"The provided authentication token is not valid","details":{}}""";

    private static readonly SymmetricSecurityKey SigningKey = new(RandomNumberGenerator.GetBytes(32));

    [Test]
    public async Task Guessing_tokens_is_throttled_per_address_by_default()
    {
        await using var factory = new OrchestratorApiFactory();
        await factory.ImportAsync(TestData.Jobs);
        await using var app = WithAuth(factory);
        using var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var wrong = await SendAsync(client, "/orchestrator/v1/jobs/1234", "203.0.113.7", ("X-Authentication", $"guess-{i}"));
            statuses.Add(wrong.StatusCode);
        }

        using var throttled = await SendAsync(client, "/orchestrator/v1/jobs/1234", "203.0.113.7", ("X-Authentication", "guess-30"));
        using var rightGuess = await SendAsync(client, "/orchestrator/v1/jobs/1234", "203.0.113.7", ("X-Authentication", DashboardToken));
        using var otherAddress = await SendAsync(client, "/orchestrator/v1/jobs/1234", "203.0.113.8", ("X-Authentication", DashboardToken));
        using var otherAddressWrong = await SendAsync(client, "/orchestrator/v1/jobs/1234", "203.0.113.8", ("X-Authentication", "guess"));
        using var health = await SendAsync(client, "/healthz", "203.0.113.7", null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(throttled.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(throttled.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(rightGuess.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "a right guess from a throttled address is not checked");
            Assert.That(otherAddress.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(otherAddressWrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        JsonAssert.AreEqual(RateLimited, await throttled.Content.ReadAsStringAsync());
        JsonAssert.AreEqual(RateLimited, await rightGuess.Content.ReadAsStringAsync());
        JsonAssert.AreEqual(TestData.Expected("job-1234.json"), await otherAddress.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task The_failed_authentication_limit_is_configurable()
    {
        await using var factory = new OrchestratorApiFactory();
        await using var app = WithAuth(factory, ("RateLimit:FailedAuthPerMinute", "3"));
        using var client = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await SendAsync(client, "/orchestrator/v1/jobs", "198.51.100.1", ("Authorization", $"Bearer guess-{i}"));
            statuses.Add(wrong.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(new[]
        {
            HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests,
        }));
    }

    [Test]
    public async Task Addresses_of_one_ipv6_64_share_a_window()
    {
        await using var factory = new OrchestratorApiFactory();
        await using var app = WithAuth(factory, ("RateLimit:FailedAuthPerMinute", "2"));
        using var client = app.CreateClient();

        using var first = await SendAsync(client, "/orchestrator/v1/jobs", "2001:db8:1:2::1", ("X-Authentication", "guess-1"));
        using var second = await SendAsync(client, "/orchestrator/v1/jobs", "2001:db8:1:2::2", ("X-Authentication", "guess-2"));
        using var sameNetwork = await SendAsync(client, "/orchestrator/v1/jobs", "2001:db8:1:2:ffff::3", ("X-Authentication", "guess-3"));
        using var otherNetwork = await SendAsync(client, "/orchestrator/v1/jobs", "2001:db8:1:3::1", ("X-Authentication", "guess-4"));

        Assert.That(new[] { first.StatusCode, second.StatusCode, sameNetwork.StatusCode, otherNetwork.StatusCode }, Is.EqualTo(new[]
        {
            HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.Unauthorized,
        }));
    }

    [Test]
    public async Task Zero_turns_the_failed_authentication_limit_off()
    {
        await using var factory = new OrchestratorApiFactory();
        await using var app = WithAuth(factory, ("RateLimit:FailedAuthPerMinute", "0"));
        using var client = app.CreateClient();

        for (var i = 0; i < 40; i++)
        {
            using var wrong = await SendAsync(client, "/orchestrator/v1/jobs", "198.51.100.1", ("X-Authentication", $"guess-{i}"));
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            JsonAssert.AreEqual(InvalidToken, await wrong.Content.ReadAsStringAsync());
        }
    }

    [Test]
    public async Task Each_token_and_each_jwt_subject_has_its_own_rate_window()
    {
        await using var factory = new OrchestratorApiFactory();
        await using var app = WithAuth(factory, ("RateLimit:PermitsPerWindow", "2"), ("RateLimit:WindowSeconds", "60"));
        using var client = app.CreateClient();

        var callers = new (string Name, (string, string) Credentials)[]
        {
            ("dashboard", ("X-Authentication", DashboardToken)),
            ("reporter", ("X-Authentication", ReporterToken)),
            ("alice", ("Authorization", "Bearer " + Jwt("alice"))),
            ("bob", ("Authorization", "Bearer " + Jwt("bob"))),
        };
        var answers = new Dictionary<string, List<HttpStatusCode>>();
        foreach (var (name, credentials) in callers)
        {
            answers[name] = [];
            for (var i = 0; i < 3; i++)
            {
                // One address for all: only the caller's identity separates their windows.
                using var response = await SendAsync(client, "/orchestrator/v1/jobs?limit=0", "192.0.2.1", credentials);
                answers[name].Add(response.StatusCode);
            }
        }

        var expected = new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests };
        using (Assert.EnterMultipleScope())
        {
            foreach (var (name, _) in callers)
                Assert.That(answers[name], Is.EqualTo(expected), name);
        }
    }

    private static WebApplicationFactory<Program> WithAuth(OrchestratorApiFactory factory, params (string Key, string Value)[] settings) =>
        factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Auth:Mode", "");
            builder.UseSetting("Orchestrator:ForwardedHeaders", "true");
            builder.UseSetting("Auth:Tokens:0:Name", "dashboard");
            builder.UseSetting("Auth:Tokens:0:Sha256", Sha256(DashboardToken));
            builder.UseSetting("Auth:Tokens:0:Permissions:0", "orchestrator:view");
            builder.UseSetting("Auth:Tokens:1:Name", "reporter");
            builder.UseSetting("Auth:Tokens:1:Sha256", Sha256(ReporterToken));
            builder.UseSetting("Auth:Tokens:1:Permissions:0", "orchestrator:view");
            builder.UseSetting("Auth:Jwt:Authority", Issuer);
            builder.UseSetting("Auth:Jwt:Audience", Audience);
            builder.UseSetting("Auth:Jwt:Algorithms:0", "HS256");
            foreach (var (key, value) in settings)
                builder.UseSetting(key, value);
            builder.ConfigureTestServices(services => services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
                configuration.SigningKeys.Add(SigningKey);
                options.Configuration = configuration;
                options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
            }));
        });

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string url, string address, (string Header, string Value)? credentials)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Forwarded-For", address);
        if (credentials is { } c)
            request.Headers.TryAddWithoutValidation(c.Header, c.Value);
        return await client.SendAsync(request);
    }

    private static string Sha256(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Jwt(string subject) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Expires = DateTime.UtcNow.AddHours(1),
        Claims = new Dictionary<string, object> { ["sub"] = subject, ["permissions"] = "orchestrator:view" },
        SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
    });
}
