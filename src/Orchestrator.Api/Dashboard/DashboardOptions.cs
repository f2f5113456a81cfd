namespace Orchestrator.Api.Dashboard;

public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    public bool Enabled { get; set; } = true;

    /// <summary>The built dashboard's folder, relative to the content root; empty: <c>dashboard</c> beside the assembly.</summary>
    public string? Path { get; set; }

    /// <summary>The API the dashboard calls, when it is not the origin (and path base) the dashboard is served from.</summary>
    public string? ApiBaseUrl { get; set; }
}
