namespace Orchestrator.Infrastructure.Import;

/// <summary>The <c>Import</c> section (README): over any of these limits a file is refused and nothing changes.</summary>
public sealed class ImportLimits
{
    public const string Section = "Import";

    /// <summary>No text value of this size or more is ever imported, whatever <see cref="MaxFieldKb"/> says.</summary>
    public const long HardFieldLimitBytes = 64L * 1024 * 1024;

    public int MaxFileMb { get; set; } = 512;

    public int MaxJobMb { get; set; } = 64;

    public int MaxFieldKb { get; set; } = 1024;

    public int MaxDepth { get; set; } = 64;

    public int MaxProblems { get; set; } = 100;

    public long FileBytes => Math.Max(1, (long)MaxFileMb) * 1024 * 1024;

    public long JobBytes => Math.Max(1, (long)MaxJobMb) * 1024 * 1024;

    public long FieldBytes => Math.Min(Math.Max(1, (long)MaxFieldKb) * 1024, HardFieldLimitBytes - 1);

    public int Depth => Math.Clamp(MaxDepth, 8, 256);

    public int Problems => Math.Max(1, MaxProblems);
}
