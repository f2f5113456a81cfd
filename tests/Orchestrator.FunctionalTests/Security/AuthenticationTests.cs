using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Security;

/// <summary>As an attacker would: no credentials, wrong ones, expired ones, and ones without the permission.</summary>
[TestFixture]
public sealed class AuthenticationTests
{
    private const string ReaderToken = "reader-4f0c8d1e9a7b";
    private const string NobodyToken = "nobody-2b9e7f13c5d0";
    private const string Issuer = "https://rbac.example.com";
    private const string Audience = "orchestrator";

    // 512 bits, so that the same key can also sign HS512 for the pinned-algorithm test.
    private static readonly SymmetricSecurityKey SigningKey = new(RandomNumberGenerator.GetBytes(64));

    private const string Unauthenticated = """{"kind":"puppetlabs.rbac/user-unauthenticated","msg":"Route requires authentication","details":{}}""";
    private const string InvalidToken = """{"kind":"puppetlabs.rbac/invalid-token","msg":"The provided authentication token is not valid","details":{}}""";
    private const string NotPermitted = """{"kind":"puppetlabs.orchestrator/not-permitted","msg":"Viewing jobs requires the orchestrator:view permission","details":{"permission":"orchestrator:view"}}""";

    private readonly CapturingLoggerProvider _logs = new();
    private OrchestratorApiFactory _factory = null!;
    private WebApplicationFactory<Program> _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartWithTokensAndJwt()
    {
        _factory = new OrchestratorApiFactory();
        await _factory.ImportAsync(TestData.Jobs);
        _app = _factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Auth:Mode", "");
            builder.UseSetting("Auth:Tokens:0:Name", "dashboard");
            builder.UseSetting("Auth:Tokens:0:Sha256", Sha256(ReaderToken));
            builder.UseSetting("Auth:Tokens:0:Permissions:0", "orchestrator:view");
            builder.UseSetting("Auth:Tokens:1:Name", "nobody");
            builder.UseSetting("Auth:Tokens:1:Sha256", Sha256(NobodyToken));
            builder.UseSetting("Auth:Tokens:1:Permissions:0", "jobs:run");
            builder.UseSetting("Auth:Jwt:Authority", Issuer);
            builder.UseSetting("Auth:Jwt:Audience", Audience);
            // The test issuer signs with a shared key; real issuers keep the asymmetric default.
            builder.UseSetting("Auth:Jwt:Algorithms:0", "HS256");
            builder.ConfigureLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
            // The issuer's keys, as its discovery document would give them; no network in tests.
            builder.ConfigureTestServices(services => services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
                configuration.SigningKeys.Add(SigningKey);
                options.Configuration = configuration;
                options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
            }));
        });
        _client = _app.CreateClient();
    }

    [OneTimeTearDown]
    public async Task Dispose()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [TestCase("/orchestrator/v1/jobs")]
    [TestCase("/orchestrator/v1/jobs/1234")]
    [TestCase("/orchestrator/v1/jobs/1234/nodes")]
    [TestCase("/orchestrator/v1/jobs/1234/report")]
    [TestCase("/orchestrator/v1/jobs/1234/events")]
    [TestCase("/orchestrator/v1/jobs/abc")]
    public async Task No_credentials_is_unauthenticated(string url) =>
        await AssertAnswer(url, null, HttpStatusCode.Unauthorized, Unauthenticated);

    [TestCase("X-Authentication", "wrong-token")]
    [TestCase("Authorization", "Bearer")]
    [TestCase("Authorization", "Bearer wrong-token")]
    [TestCase("Authorization", "Basic dXNlcjpwYXNz")]
    public async Task Wrong_credentials_are_an_invalid_token(string header, string value) =>
        await AssertAnswer("/orchestrator/v1/jobs/1234", (header, value), HttpStatusCode.Unauthorized, InvalidToken);

    [TestCase("X-Authentication", ReaderToken)]
    [TestCase("Authorization", "Bearer " + ReaderToken)]
    public async Task A_token_with_the_permission_reads_jobs(string header, string value) =>
        await AssertAnswer("/orchestrator/v1/jobs/1234", (header, value), HttpStatusCode.OK, TestData.Expected("job-1234.json"));

    [Test]
    public async Task A_token_without_the_permission_is_not_permitted() =>
        await AssertAnswer("/orchestrator/v1/jobs", ("X-Authentication", NobodyToken), HttpStatusCode.Forbidden, NotPermitted);

    [Test]
    public async Task A_jwt_with_the_permission_reads_jobs() =>
        await AssertAnswer("/orchestrator/v1/jobs/1234", ("Authorization", "Bearer " + Jwt("orchestrator:view jobs:run")), HttpStatusCode.OK,
            TestData.Expected("job-1234.json"));

    [Test]
    public async Task A_jwt_without_the_permission_is_not_permitted() =>
        await AssertAnswer("/orchestrator/v1/jobs", ("Authorization", "Bearer " + Jwt("jobs:run")), HttpStatusCode.Forbidden, NotPermitted);

    [Test]
    public async Task An_expired_jwt_is_an_invalid_token() =>
        await AssertAnswer("/orchestrator/v1/jobs", ("Authorization", "Bearer " + Jwt("orchestrator:view", expires: DateTime.UtcNow.AddMinutes(-10))),
            HttpStatusCode.Unauthorized, InvalidToken);

    [Test]
    public async Task A_jwt_signed_by_another_key_is_an_invalid_token() =>
        await AssertAnswer("/orchestrator/v1/jobs", ("Authorization", "Bearer " + Jwt("orchestrator:view", key: new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)))),
            HttpStatusCode.Unauthorized, InvalidToken);

    [Test]
    public async Task A_jwt_for_another_audience_is_an_invalid_token() =>
        await AssertAnswer("/orchestrator/v1/jobs", ("Authorization", "Bearer " + Jwt("orchestrator:view", audience: "billing")),
            HttpStatusCode.Unauthorized, InvalidToken);

    [Test]
    public async Task A_jwt_expired_past_the_one_minute_skew_is_an_invalid_token() =>
        await AssertAnswer("/orchestrator/v1/jobs", ("Authorization", "Bearer " + Jwt("orchestrator:view", expires: DateTime.UtcNow.AddMinutes(-2))),
            HttpStatusCode.Unauthorized, InvalidToken);

    [Test]
    public async Task A_jwt_signed_with_an_algorithm_not_pinned_is_an_invalid_token() =>
        await AssertAnswer("/orchestrator/v1/jobs", ("Authorization", "Bearer " + Jwt("orchestrator:view", algorithm: SecurityAlgorithms.HmacSha512)),
            HttpStatusCode.Unauthorized, InvalidToken);

    [Test]
    public async Task A_jwt_carrying_the_internal_permission_claim_itself_is_not_permitted() =>
        await AssertAnswer("/orchestrator/v1/jobs", ("Authorization", "Bearer " + Jwt("jobs:run", extra: ("permission", "orchestrator:view"))),
            HttpStatusCode.Forbidden, NotPermitted);

    [TestCase("/healthz")]
    [TestCase("/readyz")]
    [TestCase("/swagger/v1/swagger.json")]
    public async Task Health_and_the_document_need_no_credentials(string url)
    {
        using var response = await _client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task The_document_can_require_the_permission()
    {
        await using var app = _app.WithWebHostBuilder(builder => builder.UseSetting("OpenApi:RequireAuth", "true"));
        using var client = app.CreateClient();

        using var anonymous = await client.GetAsync("/swagger/v1/swagger.json");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/swagger/v1/swagger.json");
        request.Headers.Add("X-Authentication", ReaderToken);
        using var allowed = await client.SendAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            JsonAssert.AreEqual(Unauthenticated, await anonymous.Content.ReadAsStringAsync());
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test]
    public async Task Tokens_never_reach_the_logs()
    {
        var jwt = Jwt("orchestrator:view");
        foreach (var (header, value) in new[] { ("X-Authentication", ReaderToken), ("X-Authentication", "wrong-secret-value"), ("Authorization", "Bearer " + jwt) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/orchestrator/v1/jobs/1234");
            request.Headers.TryAddWithoutValidation(header, value);
            using var _ = await _client.SendAsync(request);
        }

        var logs = string.Join('\n', _logs.Lines);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(logs, Is.Not.Empty);
            Assert.That(logs, Does.Not.Contain(ReaderToken));
            Assert.That(logs, Does.Not.Contain("wrong-secret-value"));
            Assert.That(logs, Does.Not.Contain(jwt.Split('.')[2]));
        }
    }

    private async Task AssertAnswer(string url, (string Header, string Value)? credentials, HttpStatusCode status, string expectedBody)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (credentials is { } c)
            request.Headers.TryAddWithoutValidation(c.Header, c.Value);
        using var response = await _client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        JsonAssert.AreEqual(expectedBody, body);
    }

    private static string Sha256(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Jwt(
        string permissions, DateTime? expires = null, SecurityKey? key = null, string audience = Audience,
        string algorithm = SecurityAlgorithms.HmacSha256, (string Claim, string Value)? extra = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = "dashboard-user", ["permissions"] = permissions };
        if (extra is { } e)
            claims[e.Claim] = e.Value;
        var notBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            NotBefore = notBefore,
            IssuedAt = notBefore,
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            Claims = claims,
            SigningCredentials = new SigningCredentials(key ?? SigningKey, algorithm),
        });
    }
}
