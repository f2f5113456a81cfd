using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace Orchestrator.Api.Http;

/// <summary>
/// A response body held back until it is complete, hashed as it is written: the first <c>memoryThreshold</c> bytes
/// in a pooled array, the rest in a temporary file deleted on dispose. Not <c>FileBufferingWriteStream</c>, which
/// spills to its file in small pages (docs/performance.md).
/// </summary>
internal sealed class HashingBodyBuffer(int memoryThreshold, string? directory = null) : Stream
{
    private const int FileBufferSize = 64 * 1024;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _head = ArrayPool<byte>.Shared.Rent(memoryThreshold);
    private int _headLength;
    private FileStream? _file;
    private long _length;
    private bool _disposed;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public string Tag() => Base64Url.EncodeToString(_hash.GetHashAndReset());

    public async Task CopyBodyToAsync(Stream destination, CancellationToken cancellationToken)
    {
        await destination.WriteAsync(_head.AsMemory(0, _headLength), cancellationToken);
        if (_file is null)
            return;
        await _file.FlushAsync(cancellationToken);
        _file.Position = 0;
        await _file.CopyToAsync(destination, FileBufferSize, cancellationToken);
    }

    public async Task<byte[]> ToArrayAsync(CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream(checked((int)_length));
        await CopyBodyToAsync(copy, cancellationToken);
        return copy.GetBuffer();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var rest = Append(buffer);
        if (!rest.IsEmpty)
            File().Write(rest);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var rest = buffer[(buffer.Length - Append(buffer.Span).Length)..];
        return rest.IsEmpty ? ValueTask.CompletedTask : File().WriteAsync(rest, cancellationToken);
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _hash.Dispose();
            _file?.Dispose();
            ArrayPool<byte>.Shared.Return(_head);
        }

        base.Dispose(disposing);
    }

    /// <summary>Hashes and counts the bytes, keeps what fits in memory, and returns the part for the file.</summary>
    private ReadOnlySpan<byte> Append(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _length += buffer.Length;
        if (_file is not null)
            return buffer;
        var kept = Math.Min(buffer.Length, memoryThreshold - _headLength);
        buffer[..kept].CopyTo(_head.AsSpan(_headLength));
        _headLength += kept;
        return buffer[kept..];
    }

    private FileStream File()
    {
        if (_file is not null)
            return _file;
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            BufferSize = FileBufferSize,
            Options = FileOptions.DeleteOnClose,
        };
        // The document is readable only by this user while it waits on disk.
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return _file = new FileStream(Path.Combine(directory ?? Path.GetTempPath(), $"orchestrator-body-{Guid.NewGuid():N}.tmp"), options);
    }
}
