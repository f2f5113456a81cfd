using System.Security.Cryptography;
using Orchestrator.Api.Http;

namespace Orchestrator.UnitTests.Api.Http;

public sealed class HashingBodyBufferTests
{
    private const int Threshold = 1000;

    private static byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        new Random(count).NextBytes(bytes);
        return bytes;
    }

    private static string Sha256(byte[] bytes) =>
        Convert.ToBase64String(SHA256.HashData(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // Below, at and across the threshold, in writes that straddle it, synchronous and asynchronous alike.
    [TestCase(0)]
    [TestCase(999)]
    [TestCase(1000)]
    [TestCase(1001)]
    [TestCase(250_000)]
    public async Task Gives_back_exactly_the_bytes_written_with_their_sha256(int size)
    {
        var expected = Bytes(size);
        using var buffer = new HashingBodyBuffer(Threshold);
        for (var offset = 0; offset < size; offset += 333)
        {
            var piece = expected.AsMemory(offset, Math.Min(333, size - offset));
            if (offset % 2 == 0)
                await buffer.WriteAsync(piece);
            else
                buffer.Write(piece.Span);
        }

        using var copy = new MemoryStream();
        // Read twice, as the middleware does when it keeps a document and then sends it.
        var kept = await buffer.ToArrayAsync(CancellationToken.None);
        await buffer.CopyBodyToAsync(copy, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(buffer.Length, Is.EqualTo(size));
            Assert.That(kept, Is.EqualTo(expected));
            Assert.That(copy.ToArray(), Is.EqualTo(expected));
            Assert.That(buffer.Tag(), Is.EqualTo(Sha256(expected)));
        }
    }

    [Test]
    public async Task Spills_to_a_file_that_is_gone_after_dispose()
    {
        var directory = Directory.CreateTempSubdirectory("orchestrator-unit-").FullName;
        try
        {
            using (var buffer = new HashingBodyBuffer(Threshold, directory))
            {
                await buffer.WriteAsync(Bytes(Threshold));
                Assert.That(Directory.GetFiles(directory), Is.Empty, "what fits in memory stays there");
                await buffer.WriteAsync(Bytes(1));
                Assert.That(Directory.GetFiles(directory), Has.Length.EqualTo(1));
            }

            Assert.That(Directory.GetFiles(directory), Is.Empty);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
