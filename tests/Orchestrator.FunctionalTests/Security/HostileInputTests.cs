using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Security;

/// <summary>
/// 100,000 generated requests through the real pipeline: random and boundary values for every parameter, job
/// ids of every shape, repeated parameters, 64 KB values, percent-encoded and Unicode junk, random paths and
/// methods. None may answer 5xx; every other non-2xx body must be the error shape and disclose nothing.
/// The generator is seeded, so a failure names the request and reproduces.
/// </summary>
[TestFixture]
public sealed class HostileInputTests : ImportedCaptureFixture
{
    private const int Requests = 100_000;
    private const ulong Seed = 20261127;

    private static readonly string[] Disclosures =
        ["Exception", "   at ", "System.", "Microsoft.", "Orchestrator.", "SELECT ", "FROM \"", "FROM [", "SQLite", "stack"];

    private static readonly string[] Parameters =
        ["limit", "offset", "order_by", "order", "type", "task", "min_finish_timestamp", "max_finish_timestamp",
         "state", "owner", "environment", "start"];

    [Test]
    public async Task No_generated_request_gets_a_5xx_or_an_unshaped_or_revealing_error()
    {
        var requests = Request().Sample(Requests, new Rnd(Seed), 20);
        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, token) =>
        {
            using var message = new HttpRequestMessage(request.Method, request.Url);
            using var response = await Client.SendAsync(message, token);
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (failures.Count < 10 && Problem(status, await response.Content.ReadAsStringAsync(token)) is { } problem)
                failures.Enqueue($"{request.Method} {Shorten(request.Url)} -> {status}: {problem}");
        });

        TestContext.Out.WriteLine("statuses: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failures, Is.Empty);
            Assert.That(statuses.Values.Sum(), Is.EqualTo(Requests));
            Assert.That(statuses.Keys, Has.Some.EqualTo(200).And.Some.EqualTo(400).And.Some.EqualTo(404), "the generator reaches every kind of answer");
        }
    }

    private static string? Problem(int status, string body)
    {
        if (status >= 500)
            return "a server error: " + Shorten(body);
        if (Disclosures.FirstOrDefault(body.Contains) is { } leak && status is < 200 or >= 300)
            return $"the body discloses '{leak}': {Shorten(body)}";
        if (status is >= 200 and < 300 or 304)
            return null;

        try
        {
            using var document = JsonDocument.Parse(body);
            var keys = document.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
            if (!keys.SequenceEqual(["kind", "msg", "details"]))
                return "not the error shape: " + Shorten(body);
            if (!document.RootElement.GetProperty("kind").GetString()!.StartsWith("puppetlabs.", StringComparison.Ordinal))
                return "an unknown kind: " + Shorten(body);
            return document.RootElement.GetProperty("details").ValueKind == JsonValueKind.Object ? null : "details is not an object";
        }
        catch (JsonException)
        {
            return "not JSON: " + Shorten(body);
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private sealed record GeneratedRequest(HttpMethod Method, string Url);

    private static Gen<GeneratedRequest> Request() =>
        from method in Gen.Frequency(
            (20, Gen.Constant(HttpMethod.Get)),
            (1, Gen.Elements(HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Options)))
        from path in Path()
        from query in Gen.ListOf(QueryPart(), 0).Resize(6)
        select new GeneratedRequest(method, query.Count == 0 ? path : path + "?" + string.Join("&", query));

    private static Gen<string> Path() =>
        Gen.Frequency(
            (4, Gen.Constant("/orchestrator/v1/jobs")),
            (6, from id in JobId()
                from suffix in Gen.Elements("", "/nodes", "/report", "/events", "/", "/nodes/", "/unknown")
                select $"/orchestrator/v1/jobs/{id}{suffix}"),
            (1, from segments in Gen.ListOf(PathSafe(Junk()), 1).Resize(4)
                select "/orchestrator/v1/" + string.Join("/", segments.Select(Uri.EscapeDataString))),
            (1, Gen.Elements("/", "/orchestrator", "/orchestrator/v2/jobs", "/errors/500", "/errors/404", "/healthz", "/readyz")));

    private static Gen<string> JobId() =>
        Gen.OneOf(
            Gen.Elements("1234", "1235", "1236", "1237", "1238", "1239"),
            Integer().Select(v => v),
            PathSafe(Junk()).Select(Uri.EscapeDataString),
            Gen.Elements("%20", "%2F1", "1%2F2", "%01", "%E2%80%AE1234", "..", "."));

    // A NUL in the path never reaches the app: Kestrel rejects the request line (and the in-memory test
    // server's client throws), so paths are generated without one; queries still carry them.
    private static Gen<string> PathSafe(Gen<string> text) => text.Select(t => t.Replace("\0", "", StringComparison.Ordinal));

    private static Gen<string> QueryPart() =>
        from name in Gen.Frequency((8, Gen.Elements(Parameters)), (1, Junk()))
        from value in Value()
        select Uri.EscapeDataString(name) + "=" + value;

    private static Gen<string> Value() =>
        Gen.Frequency(
            (4, Integer()),
            (3, Gen.Elements("owner", "timestamp", "environment", "name", "state", "asc", "desc", "deploy", "task", "plan_task",
                "duration", "start_timestamp", "finish_timestamp", "running", "finished,failed", "errored", "Owner", "DESC", "1",
                "running,,failed", "production", "brian", "package")),
            (2, Gen.Elements("2016-05-20T16:45:31Z", "2016-05-20T16:45:31.123+02:00", "2016-05-20", "yesterday",
                "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2016-13-45T99:99:99Z").Select(Uri.EscapeDataString)),
            (3, Junk().Select(Uri.EscapeDataString)),
            (1, Gen.Elements("%00", "%FF%FE", "%", "%zz", "%E2%80%AE", "%F0%9F%92%A5", "+", "%2B1")),
            (1, Gen.Choose(1, 64).Select(kb => new string('x', kb * 1024))));

    private static Gen<string> Integer() =>
        Gen.OneOf(
            Gen.Choose(-1000, 100_000).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Elements("0", "-0", "-1", "2147483647", "2147483648", "-2147483648", "9223372036854775807",
                "9223372036854775808", "99999999999999999999", "1.5", "1e3", "0x10", "+1", " 1", "1 ", "", "١٢٣", "１２３"));

    private static Gen<string> Junk() =>
        Gen.Frequency(
            (3, Gen.Elements("' OR 1=1 --", "\"; DROP TABLE \"Jobs\"; --", "<script>alert(1)</script>", "../../etc/passwd",
                "${jndi:ldap://x}", "%s%s%s", "\\", "\u202E", "null", "[]", "{}", "\u0000", "\uFFFF", "ü", "日本", "🚀")),
            (2, from chars in Gen.ArrayOf(Gen.Choose(0, 0x2FF).Select(c => (char)c), 12) select new string(chars)),
            (1, Gen.Choose(1, 64).Select(kb => new string('q', kb * 1024))));
}
