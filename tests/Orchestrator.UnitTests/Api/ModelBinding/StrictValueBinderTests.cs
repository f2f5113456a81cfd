using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Primitives;
using Orchestrator.Api.ModelBinding;
using Orchestrator.Application.Common.Paging;
using Orchestrator.Application.Jobs.Queries.GetJobNodes;
using Orchestrator.Application.Jobs.Queries.ListJobs;
using Orchestrator.Domain.Enums;

namespace Orchestrator.UnitTests.Api.ModelBinding;

public sealed class StrictValueBinderTests
{
    private const string IntegerError = "must be an integer";

    [TestCase("0", 0)]
    [TestCase("42", 42)]
    [TestCase("-1", -1)]
    [TestCase("007", 7)]
    [TestCase("2147483647", int.MaxValue)]
    public void Integers_bind_from_optional_minus_and_digits(string text, int expected) =>
        Assert.That(StrictValueBinder.Parse(typeof(int), text), Is.EqualTo(((object?)expected, (string?)null)));

    [TestCase("abc")]
    [TestCase("1.5")]
    [TestCase("1e3")]
    [TestCase("+1")]
    [TestCase("")]
    [TestCase("-")]
    [TestCase(" 1")]
    [TestCase("1 ")]
    [TestCase("0x10")]
    [TestCase("1,000")]
    [TestCase("١٢")]
    public void Anything_else_is_not_an_integer(string text)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(StrictValueBinder.Parse(typeof(int), text), Is.EqualTo(((object?)null, IntegerError)));
            Assert.That(StrictValueBinder.Parse(typeof(long), text), Is.EqualTo(((object?)null, IntegerError)));
        }
    }

    [TestCase("2147483648")]
    [TestCase("-2147483648")]
    [TestCase("99999999999999999999")]
    public void Int_overflow_is_rejected(string text) =>
        Assert.That(StrictValueBinder.Parse(typeof(int), text),
            Is.EqualTo(((object?)null, "must be an integer no larger than 2147483647")));

    [TestCase("2147483648", 2147483648L)]
    [TestCase("9223372036854775807", long.MaxValue)]
    [TestCase("-9223372036854775807", -long.MaxValue)]
    public void Long_takes_what_overflows_int(string text, long expected) =>
        Assert.That(StrictValueBinder.Parse(typeof(long), text), Is.EqualTo(((object?)expected, (string?)null)));

    [TestCase("9223372036854775808")]
    [TestCase("99999999999999999999")]
    public void Long_overflow_is_rejected(string text) =>
        Assert.That(StrictValueBinder.Parse(typeof(long), text),
            Is.EqualTo(((object?)null, "must be an integer no larger than 9223372036854775807")));

    [TestCase("owner", JobOrderBy.Owner)]
    [TestCase("timestamp", JobOrderBy.Timestamp)]
    [TestCase("environment", JobOrderBy.Environment)]
    [TestCase("name", JobOrderBy.Name)]
    [TestCase("state", JobOrderBy.State)]
    public void Job_order_by_binds_its_wire_names(string text, JobOrderBy expected) =>
        Assert.That(StrictValueBinder.Parse(typeof(JobOrderBy), text), Is.EqualTo(((object?)expected, (string?)null)));

    [TestCase("start_timestamp", NodeOrderBy.StartTimestamp)]
    [TestCase("finish_timestamp", NodeOrderBy.FinishTimestamp)]
    [TestCase("duration", NodeOrderBy.Duration)]
    public void Node_order_by_binds_its_wire_names(string text, NodeOrderBy expected) =>
        Assert.That(StrictValueBinder.Parse(typeof(NodeOrderBy), text), Is.EqualTo(((object?)expected, (string?)null)));

    [TestCase("plan_task", JobType.PlanTask)]
    [TestCase("plan_apply_prep", JobType.PlanApplyPrep)]
    [TestCase("deploy", JobType.Deploy)]
    public void Job_type_binds_its_wire_names(string text, JobType expected) =>
        Assert.That(StrictValueBinder.Parse(typeof(JobType), text), Is.EqualTo(((object?)expected, (string?)null)));

    [Test]
    public void Sort_order_binds_asc_and_desc()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(StrictValueBinder.Parse(typeof(SortOrder), "asc"), Is.EqualTo(((object?)SortOrder.Asc, (string?)null)));
            Assert.That(StrictValueBinder.Parse(typeof(SortOrder), "desc"), Is.EqualTo(((object?)SortOrder.Desc, (string?)null)));
        }
    }

    [TestCase("Owner")]
    [TestCase("OWNER")]
    [TestCase("1")]
    [TestCase("0")]
    [TestCase("")]
    [TestCase(" owner")]
    [TestCase("finishtimestamp")]
    public void Job_order_by_rejects_other_spellings_and_numbers(string text) =>
        Assert.That(StrictValueBinder.Parse(typeof(JobOrderBy), text),
            Is.EqualTo(((object?)null, "must be one of: owner, timestamp, environment, name, state")));

    [TestCase("PlanTask")]
    [TestCase("plan-task")]
    [TestCase("2")]
    public void Job_type_rejects_other_spellings_and_numbers(string text) =>
        Assert.That(StrictValueBinder.Parse(typeof(JobType), text), Is.EqualTo(((object?)null,
            "must be one of: deploy, task, plan_task, plan_script, plan_upload, plan_command, plan_wait, plan_apply, plan_apply_prep")));

    [TestCase("2016-05-20T16:45:31Z", "2016-05-20T16:45:31.0000000Z")]
    [TestCase("2016-05-20T16:45:31.5Z", "2016-05-20T16:45:31.5000000Z")]
    [TestCase("2016-05-20T16:45:31.1234567Z", "2016-05-20T16:45:31.1234567Z")]
    [TestCase("2016-05-20T16:45:31+02:00", "2016-05-20T14:45:31.0000000Z")]
    [TestCase("2016-05-20T16:45:31.25-05:30", "2016-05-20T22:15:31.2500000Z")]
    [TestCase("2016-05-20T16:45:31", "2016-05-20T16:45:31.0000000Z")]
    public void Timestamps_bind_as_utc(string text, string expectedRoundTrip)
    {
        var (value, error) = StrictValueBinder.Parse(typeof(DateTime), text);

        Assert.That(error, Is.Null);
        Assert.That(value, Is.TypeOf<DateTime>());
        var instant = (DateTime)value!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(instant.Kind, Is.EqualTo(DateTimeKind.Utc));
            Assert.That(instant.ToString("O", CultureInfo.InvariantCulture), Is.EqualTo(expectedRoundTrip));
        }
    }

    [TestCase("yesterday")]
    [TestCase("2016-05-20")]
    [TestCase("2016-05-20 16:45:31Z")]
    [TestCase("20/05/2016 16:45:31")]
    [TestCase("1463762731")]
    [TestCase("2016-13-20T16:45:31Z")]
    [TestCase("")]
    public void Other_timestamps_are_rejected(string text) =>
        Assert.That(StrictValueBinder.Parse(typeof(DateTime), text),
            Is.EqualTo(((object?)null, "must be an ISO-8601 timestamp such as 2016-05-20T16:45:31Z")));

    [Test]
    public void Types_not_bound_strictly_are_refused() =>
        Assert.That(() => StrictValueBinder.Parse(typeof(decimal), "1"), Throws.TypeOf<NotSupportedException>());

    private static DefaultModelBindingContext Context(string name, params string[] values)
    {
        var query = new Dictionary<string, StringValues>();
        if (values.Length > 0)
            query[name] = new StringValues(values);
        return new DefaultModelBindingContext
        {
            ModelName = name,
            ModelState = new ModelStateDictionary(),
            ValueProvider = new QueryStringValueProvider(BindingSource.Query, new QueryCollection(query), CultureInfo.InvariantCulture),
        };
    }

    [Test]
    public async Task Binder_sets_the_parsed_value_and_records_the_text_sent()
    {
        var context = Context("limit", "42");

        await new StrictValueBinder(typeof(int)).BindModelAsync(context);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Result, Is.EqualTo(ModelBindingResult.Success(42)));
            Assert.That(context.ModelState.ErrorCount, Is.Zero);
            Assert.That(context.ModelState["limit"]!.AttemptedValue, Is.EqualTo("42"));
        }
    }

    [Test]
    public async Task Binder_binds_a_negative_integer_for_the_validator_to_reject()
    {
        var context = Context("offset", "-1");

        await new StrictValueBinder(typeof(int)).BindModelAsync(context);

        Assert.That(context.Result, Is.EqualTo(ModelBindingResult.Success(-1)));
    }

    [Test]
    public async Task Binder_records_a_parse_error_in_model_state_and_leaves_the_result_unset()
    {
        var context = Context("limit", "1.5");

        await new StrictValueBinder(typeof(int)).BindModelAsync(context);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Result.IsModelSet, Is.False);
            Assert.That(context.ModelState["limit"]!.AttemptedValue, Is.EqualTo("1.5"));
            Assert.That(context.ModelState["limit"]!.Errors.Select(e => e.ErrorMessage), Is.EqualTo(new[] { IntegerError }));
        }
    }

    [TestCase(typeof(int), "1", "2")]
    [TestCase(typeof(JobOrderBy), "owner", "owner")]
    [TestCase(typeof(string), "a", "b")]
    public async Task Binder_rejects_a_repeated_value(Type type, string first, string second)
    {
        var context = Context("p", first, second);

        await new StrictValueBinder(type).BindModelAsync(context);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Result.IsModelSet, Is.False);
            Assert.That(context.ModelState["p"]!.AttemptedValue, Is.EqualTo($"{first},{second}"));
            Assert.That(context.ModelState["p"]!.Errors.Select(e => e.ErrorMessage), Is.EqualTo(new[] { "must be given once" }));
        }
    }

    [TestCase(typeof(int))]
    [TestCase(typeof(string))]
    [TestCase(typeof(DateTime))]
    public async Task Binder_leaves_an_absent_value_unset(Type type)
    {
        var context = Context("limit");

        await new StrictValueBinder(type).BindModelAsync(context);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Result.IsModelSet, Is.False);
            Assert.That(context.ModelState, Is.Empty);
        }
    }

    [Test]
    public async Task Binder_binds_an_empty_string_as_null()
    {
        var context = Context("task", "");

        await new StrictValueBinder(typeof(string)).BindModelAsync(context);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Result, Is.EqualTo(ModelBindingResult.Success(null)));
            Assert.That(context.ModelState.ErrorCount, Is.Zero);
        }
    }

    [Test]
    public async Task Binder_keeps_a_string_exactly()
    {
        var context = Context("task", " package::install ");

        await new StrictValueBinder(typeof(string)).BindModelAsync(context);

        Assert.That(context.Result, Is.EqualTo(ModelBindingResult.Success(" package::install ")));
    }

    [Test]
    public async Task Binder_rejects_an_empty_integer()
    {
        var context = Context("limit", "");

        await new StrictValueBinder(typeof(int)).BindModelAsync(context);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Result.IsModelSet, Is.False);
            Assert.That(context.ModelState["limit"]!.Errors.Select(e => e.ErrorMessage), Is.EqualTo(new[] { IntegerError }));
        }
    }

    [Test]
    public async Task Binder_binds_enums_and_timestamps()
    {
        var orderBy = Context("order_by", "plan_task");
        var timestamp = Context("min_finish_timestamp", "2016-05-20T16:45:31+02:00");

        await new StrictValueBinder(typeof(JobType)).BindModelAsync(orderBy);
        await new StrictValueBinder(typeof(DateTime)).BindModelAsync(timestamp);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(orderBy.Result, Is.EqualTo(ModelBindingResult.Success(JobType.PlanTask)));
            Assert.That(timestamp.Result, Is.EqualTo(ModelBindingResult.Success(new DateTime(2016, 5, 20, 14, 45, 31, DateTimeKind.Utc))));
        }
    }

    [TestCase(new[] { "running,failed" }, new[] { JobState.Running, JobState.Failed })]
    [TestCase(new[] { "running", "failed" }, new[] { JobState.Running, JobState.Failed })]
    [TestCase(new[] { "new,ready", "stopped" }, new[] { JobState.New, JobState.Ready, JobState.Stopped })]
    public async Task Lists_bind_comma_separated_and_repeated_values(string[] sent, JobState[] expected)
    {
        var context = Context("state", sent);

        await new StrictValueBinder(typeof(JobState[])).BindModelAsync(context);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.ModelState.ErrorCount, Is.Zero);
            Assert.That(context.Result.Model, Is.EqualTo(expected));
        }
    }

    [TestCase("running,,failed")]
    [TestCase("")]
    [TestCase("running,errored")]
    [TestCase("Running")]
    public async Task Lists_reject_empty_or_unknown_items(string sent)
    {
        var context = Context("state", sent);

        await new StrictValueBinder(typeof(JobState[])).BindModelAsync(context);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(context.Result.IsModelSet, Is.False);
            Assert.That(context.ModelState["state"]!.Errors.Single().ErrorMessage,
                Is.EqualTo("items must be one of: new, ready, running, stopping, stopped, finished, failed"));
        }
    }
}
