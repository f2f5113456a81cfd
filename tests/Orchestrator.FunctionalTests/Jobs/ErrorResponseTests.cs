using System.Net;
using Orchestrator.FunctionalTests.Infrastructure;

namespace Orchestrator.FunctionalTests.Jobs;

/// <summary>Malformed input gets a 400 in the orchestrator's error shape, never a routing 404 or a 500.</summary>
[TestFixture]
public sealed class ErrorResponseTests : ImportedCaptureFixture
{
    private static readonly string[] MalformedIntegers = ["abc", "1.5", "1e3", "", "99999999999999999999", " 1", "0x10", "+1"];
    private static readonly string[] JobScopedPaths = ["", "/nodes", "/report", "/events"];

    [Test]
    public async Task A_malformed_job_id_is_a_validation_error_on_every_job_endpoint()
    {
        foreach (var suffix in JobScopedPaths)
        {
            foreach (var id in MalformedIntegers.Where(id => id.Length > 0))
            {
                var message = id.StartsWith('9') ? "must be an integer no larger than 9223372036854775807" : "must be an integer";
                await AssertError($"/orchestrator/v1/jobs/{Uri.EscapeDataString(id)}{suffix}", HttpStatusCode.BadRequest,
                    $$$"""{"kind":"puppetlabs.orchestrator/validation-error","msg":"job_id {{{message}}}","details":{"job_id":"{{{id}}}"}}""");
            }

            await AssertError($"/orchestrator/v1/jobs/-1{suffix}", HttpStatusCode.BadRequest,
                """{"kind":"puppetlabs.orchestrator/validation-error","msg":"job_id must be a positive integer","details":{"job_id":"-1"}}""");
        }
    }

    [TestCase("/orchestrator/v1/jobs//nodes")]
    [TestCase("/orchestrator/v1/jobs//report")]
    [TestCase("/orchestrator/v1/jobs//events")]
    public async Task An_empty_job_id_is_a_validation_error(string url) =>
        await AssertError(url, HttpStatusCode.BadRequest,
            """{"kind":"puppetlabs.orchestrator/validation-error","msg":"job_id must be a positive integer","details":{"job_id":""}}""");

    [Test]
    public async Task A_malformed_limit_is_a_validation_error_on_every_paged_endpoint()
    {
        foreach (var url in new[] { "/orchestrator/v1/jobs", "/orchestrator/v1/jobs/1234/nodes", "/orchestrator/v1/jobs/1234/events" })
        {
            foreach (var limit in MalformedIntegers)
            {
                var message = limit.StartsWith('9') ? "must be an integer no larger than 2147483647" : "must be an integer";
                await AssertError($"{url}?limit={Uri.EscapeDataString(limit)}", HttpStatusCode.BadRequest,
                    $$$"""{"kind":"puppetlabs.orchestrator/validation-error","msg":"limit {{{message}}}","details":{"limit":"{{{limit}}}"}}""");
            }

            await AssertError($"{url}?limit=-1", HttpStatusCode.BadRequest,
                """{"kind":"puppetlabs.orchestrator/validation-error","msg":"limit must be a non-negative integer","details":{"limit":"-1"}}""");
        }
    }

    [TestCase("/orchestrator/v1/jobs?offset=-5", "offset must be a non-negative integer", "offset", "-5")]
    [TestCase("/orchestrator/v1/jobs?order_by=Owner", "order_by must be one of: owner, timestamp, environment, name, state", "order_by", "Owner")]
    [TestCase("/orchestrator/v1/jobs?order_by=1", "order_by must be one of: owner, timestamp, environment, name, state", "order_by", "1")]
    [TestCase("/orchestrator/v1/jobs?order=up", "order must be one of: asc, desc", "order", "up")]
    [TestCase("/orchestrator/v1/jobs?type=puppet", "type must be one of: deploy, task, plan_task, plan_script, plan_upload, plan_command, plan_wait, plan_apply, plan_apply_prep", "type", "puppet")]
    [TestCase("/orchestrator/v1/jobs?type=deploy&task=package", "task cannot be combined with type=deploy", "task", "package")]
    [TestCase("/orchestrator/v1/jobs?min_finish_timestamp=yesterday", "min_finish_timestamp must be an ISO-8601 timestamp such as 2016-05-20T16:45:31Z", "min_finish_timestamp", "yesterday")]
    [TestCase("/orchestrator/v1/jobs?limit=1&limit=2", "limit must be given once", "limit", "1,2")]
    [TestCase("/orchestrator/v1/jobs?state=running,,failed", "state items must be one of: new, ready, running, stopping, stopped, finished, failed", "state", "running,,failed")]
    [TestCase("/orchestrator/v1/jobs?state=errored", "state items must be one of: new, ready, running, stopping, stopped, finished, failed", "state", "errored")]
    [TestCase("/orchestrator/v1/jobs/1234/nodes?order_by=timestamp", "order_by must be one of: name, duration, state, start_timestamp, finish_timestamp", "order_by", "timestamp")]
    [TestCase("/orchestrator/v1/jobs/1234/nodes?state=done", "state must be one of: new, ready, running, stopping, stopped, finished, failed, errored, skipped", "state", "done")]
    [TestCase("/orchestrator/v1/jobs/1234/events?start=abc", "start must be an integer", "start", "abc")]
    [TestCase("/orchestrator/v1/jobs/1234/events?start=-3", "start must be a non-negative integer", "start", "-3")]
    public async Task A_malformed_parameter_names_itself_and_its_value(string url, string msg, string parameter, string value) =>
        await AssertError(url, HttpStatusCode.BadRequest,
            $$$"""{"kind":"puppetlabs.orchestrator/validation-error","msg":"{{{msg}}}","details":{"{{{parameter}}}":"{{{value}}}"}}""");

    [Test]
    public async Task Several_problems_are_reported_together()
    {
        await AssertError("/orchestrator/v1/jobs?limit=-1&offset=-2", HttpStatusCode.BadRequest,
            """{"kind":"puppetlabs.orchestrator/validation-error","msg":"limit must be a non-negative integer; offset must be a non-negative integer","details":{"limit":"-1","offset":"-2"}}""");
    }

    [TestCase("")]
    [TestCase("/nodes")]
    [TestCase("/report")]
    [TestCase("/events")]
    public async Task A_job_that_does_not_exist_is_an_unknown_job(string suffix) =>
        await AssertError($"/orchestrator/v1/jobs/999{suffix}", HttpStatusCode.NotFound,
            """{"kind":"puppetlabs.orchestrator/unknown-job","msg":"No job exists for id 999","details":{"job_id":"999"}}""");

    [TestCase("/orchestrator/v1/nothing-here")]
    [TestCase("/orchestrator/v1/jobs/1234/nodes/extra")]
    [TestCase("/errors/500")]
    public async Task An_unknown_route_is_not_found(string url) =>
        await AssertError(url, HttpStatusCode.NotFound,
            $$$"""{"kind":"puppetlabs.orchestrator/not-found","msg":"No resource at {{{url}}}","details":{"path":"{{{url}}}"}}""");

    [Test]
    public async Task A_wrong_method_is_not_allowed()
    {
        using var response = await Client.DeleteAsync("/orchestrator/v1/jobs/1234");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        JsonAssert.AreEqual(
            """{"kind":"puppetlabs.orchestrator/method-not-allowed","msg":"Method DELETE is not allowed on /orchestrator/v1/jobs/1234","details":{"method":"DELETE","path":"/orchestrator/v1/jobs/1234"}}""",
            body);
    }

    [Test]
    public async Task A_long_value_is_not_echoed_whole()
    {
        var value = new string('x', 8 * 1024);
        using var response = await Client.GetAsync($"/orchestrator/v1/jobs?order_by={value}");
        var body = await response.Content.ReadAsStringAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body, Has.Length.LessThan(1000));
        }
    }

    [Test]
    public async Task A_url_over_the_limit_is_too_large() =>
        await AssertError($"/orchestrator/v1/jobs?task={new string('x', 64 * 1024)}", HttpStatusCode.RequestUriTooLong,
            """{"kind":"puppetlabs.orchestrator/request-too-large","msg":"The URL is longer than 16384 characters","details":{"limit":"16384"}}""");

    [Test]
    public async Task Headers_over_the_limit_are_too_large()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orchestrator/v1/jobs");
        request.Headers.Add("X-Padding", new string('x', 40 * 1024));
        using var response = await Client.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestHeaderFieldsTooLarge));
        JsonAssert.AreEqual(
            """{"kind":"puppetlabs.orchestrator/request-too-large","msg":"The headers are larger than 32768 characters","details":{"limit":"32768"}}""",
            await response.Content.ReadAsStringAsync());
    }

    private async Task AssertError(string url, HttpStatusCode status, string expectedBody)
    {
        using var response = await Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(status), $"{url}: {body}");
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), url);
        }

        JsonAssert.AreEqual(expectedBody, body);
    }
}
