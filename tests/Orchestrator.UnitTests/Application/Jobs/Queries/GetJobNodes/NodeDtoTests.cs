using Orchestrator.Application.Jobs.Queries.GetJobNodes;
using Orchestrator.Domain.Enums;

namespace Orchestrator.UnitTests.Application.Jobs.Queries.GetJobNodes;

public sealed class NodeDtoTests
{
    private static readonly DateTime Start = new(2015, 7, 13, 20, 36, 13, DateTimeKind.Utc);
    private static readonly DateTime Now = Start.AddMinutes(5);

    [TestCase(NodeState.Finished)]
    [TestCase(NodeState.Failed)]
    [TestCase(NodeState.Errored)]
    [TestCase(NodeState.Stopped)]
    public void A_node_with_start_and_finish_took_finish_minus_start(NodeState state) =>
        Assert.That(NodeDto.DurationOf(state, Start, Start.AddSeconds(48), Now), Is.EqualTo(48.0));

    [Test]
    public void Fractions_of_a_second_are_kept() =>
        Assert.That(NodeDto.DurationOf(NodeState.Finished, Start, Start.AddMilliseconds(48_250), Now), Is.EqualTo(48.25));

    [Test]
    public void A_running_node_has_run_from_start_until_now() =>
        Assert.That(NodeDto.DurationOf(NodeState.Running, Start, null, Now), Is.EqualTo(300.0));

    [Test]
    public void A_running_node_started_after_now_has_run_zero_seconds() =>
        Assert.That(NodeDto.DurationOf(NodeState.Running, Now.AddSeconds(1), null, Now), Is.Zero);

    [TestCase(NodeState.New)]
    [TestCase(NodeState.Ready)]
    [TestCase(NodeState.Running)]
    [TestCase(NodeState.Skipped)]
    public void A_node_that_has_not_started_has_no_duration(NodeState state) =>
        Assert.That(NodeDto.DurationOf(state, null, null, Now), Is.Null);

    [Test]
    public void A_skipped_node_has_no_duration_even_with_timestamps() =>
        Assert.That(NodeDto.DurationOf(NodeState.Skipped, Start, Start.AddSeconds(1), Now), Is.Null);

    [TestCase(NodeState.Errored)]
    [TestCase(NodeState.Stopping)]
    [TestCase(NodeState.Ready)]
    public void A_started_node_neither_running_nor_finished_has_no_duration(NodeState state) =>
        Assert.That(NodeDto.DurationOf(state, Start, null, Now), Is.Null);

    [Test]
    public void A_finish_without_a_start_has_no_duration() =>
        Assert.That(NodeDto.DurationOf(NodeState.Finished, null, Start, Now), Is.Null);
}
