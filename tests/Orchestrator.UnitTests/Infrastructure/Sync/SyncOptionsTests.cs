using Orchestrator.Infrastructure.Sync;

namespace Orchestrator.UnitTests.Infrastructure.Sync;

public sealed class SyncOptionsTests
{
    [TestCase("https://orchestrator.example.com:8143", "https://orchestrator.example.com:8143/orchestrator/v1/")]
    [TestCase("https://orchestrator.example.com:8143/", "https://orchestrator.example.com:8143/orchestrator/v1/")]
    [TestCase("https://orchestrator.example.com:8143/orchestrator/v1", "https://orchestrator.example.com:8143/orchestrator/v1/")]
    [TestCase("https://orchestrator.example.com:8143/orchestrator/v1/", "https://orchestrator.example.com:8143/orchestrator/v1/")]
    [TestCase("https://proxy.example.com/pe", "https://proxy.example.com/pe/orchestrator/v1/")]
    [TestCase("http://127.0.0.1:5080", "http://127.0.0.1:5080/orchestrator/v1/")]
    [TestCase("http://localhost:5080/orchestrator/v1", "http://localhost:5080/orchestrator/v1/")]
    public void A_service_root_becomes_the_jobs_api_root(string from, string expected)
    {
        Assert.That(SyncOptions.TryParseRoot(from, out var root, out var problem), Is.True, problem);
        Assert.That(root.ToString(), Is.EqualTo(expected));
    }

    [TestCase("orchestrator.example.com:8143", "not an https URL")]
    [TestCase("ftp://orchestrator.example.com", "not an https URL")]
    [TestCase("http://orchestrator.example.com:8143", "plain http")]
    [TestCase("https://orchestrator.example.com:8143/?x=1", "service root only")]
    [TestCase("https://user:secret@orchestrator.example.com:8143", "service root only")]
    public void Anything_else_is_refused_with_the_reason(string from, string reason)
    {
        Assert.That(SyncOptions.TryParseRoot(from, out _, out var problem), Is.False);
        Assert.That(problem, Does.StartWith("--from: ").And.Contain(reason));
    }
}
