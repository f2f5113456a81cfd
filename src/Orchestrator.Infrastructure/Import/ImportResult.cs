namespace Orchestrator.Infrastructure.Import;

/// <summary>
/// Either the problems found (<c>"&lt;json path&gt;: &lt;message&gt;"</c>, the first <c>Import:MaxProblems</c> of
/// <see cref="ProblemCount"/>), and nothing was written, or how many jobs, nodes and events were loaded.
/// </summary>
public sealed record ImportResult(IReadOnlyList<string> Problems, int Jobs, int Nodes, int Events)
{
    public bool Succeeded => Problems.Count == 0;

    public int ProblemCount { get; init; } = Problems.Count;

    public static ImportResult Failed(IReadOnlyList<string> problems, int problemCount = 0) =>
        new(problems, 0, 0, 0) { ProblemCount = Math.Max(problemCount, problems.Count) };

    public static ImportResult Loaded(int jobs, int nodes, int events) => new([], jobs, nodes, events);
}
