namespace Orchestrator.Api.Dashboard;

/// <summary>The <c>Dashboard</c> section: the reference dashboard served at <c>/dashboard/</c>.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>Serve the dashboard. On by default: its files hold no data, and the API still demands credentials.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The folder of the built dashboard; relative to the content root. Empty: <c>dashboard</c> beside the app's assembly, where the build copies it.</summary>
    public string? Path { get; set; }

    /// <summary>The API the dashboard calls, when it is not the origin (and path base) the dashboard is served from.</summary>
    public string? ApiBaseUrl { get; set; }
}
