namespace Orchestrator.FunctionalTests.Infrastructure;

/// <summary>A fixture whose tests share one API instance over <c>TestData/jobs.json</c>, imported once.</summary>
public abstract class ImportedCaptureFixture
{
    protected OrchestratorApiFactory Factory { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task ImportCapture()
    {
        Factory = new OrchestratorApiFactory();
        await Factory.ImportAsync(TestData.Jobs);
        Client = Factory.CreateClient();
    }

    [OneTimeTearDown]
    public async Task DisposeFactory()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
