namespace Orchestrator.Infrastructure.Import;

/// <summary>
/// The outcome of an import: either the problems found in the file (each <c>"&lt;json path&gt;: &lt;message&gt;"</c>,
/// the first <c>Import:MaxProblems</c> of <see cref="ProblemCount"/>), in which case nothing was written, or the
/// number of jobs, nodes and events loaded.
/// </summary>
public sealed record ImportResult(IReadOnlyList<string> Problems, int Jobs, int Nodes, int Events)
{
    public bool Succeeded => Problems.Count == 0;

    /// <summary>How many problems there were in all, listed or not.</summary>
    public int ProblemCount { get; init; } = Problems.Count;

    public static ImportResult Failed(IReadOnlyList<string> problems) => new(problems, 0, 0, 0);

    public static ImportResult Failed(IReadOnlyList<string> problems, int problemCount) =>
        new(problems, 0, 0, 0) { ProblemCount = Math.Max(problemCount, problems.Count) };

    public static ImportResult Loaded(int jobs, int nodes, int events) => new([], jobs, nodes, events);
}
