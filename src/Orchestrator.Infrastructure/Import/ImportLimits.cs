namespace Orchestrator.Infrastructure.Import;

/// <summary>
/// The <c>Import</c> section: how large an import file, each job in it and each text value may be, how deep its
/// JSON may nest, and how many problems are listed. Over a limit, the file is refused and nothing changes.
/// </summary>
public sealed class ImportLimits
{
    public const string Section = "Import";

    /// <summary>No text value of this size or more is ever imported, whatever <see cref="MaxFieldKb"/> says.</summary>
    public const long HardFieldLimitBytes = 64L * 1024 * 1024;

    /// <summary>The whole file, in MiB.</summary>
    public int MaxFileMb { get; set; } = 512;

    /// <summary>Each entry of <c>jobs</c> (the job with its nodes and events), in MiB.</summary>
    public int MaxJobMb { get; set; } = 64;

    /// <summary>Each string value anywhere in the file (descriptions, names, node results' output), in KiB.</summary>
    public int MaxFieldKb { get; set; } = 1024;

    /// <summary>How deeply objects and arrays may nest.</summary>
    public int MaxDepth { get; set; } = 64;

    /// <summary>How many problems are listed; the rest are only counted.</summary>
    public int MaxProblems { get; set; } = 100;

    public long FileBytes => Math.Max(1, (long)MaxFileMb) * 1024 * 1024;

    public long JobBytes => Math.Max(1, (long)MaxJobMb) * 1024 * 1024;

    /// <summary>The field limit in UTF-8 bytes as written in the file, always under <see cref="HardFieldLimitBytes"/>.</summary>
    public long FieldBytes => Math.Min(Math.Max(1, (long)MaxFieldKb) * 1024, HardFieldLimitBytes - 1);

    public int Depth => Math.Clamp(MaxDepth, 8, 256);

    public int Problems => Math.Max(1, MaxProblems);
}
