namespace Orchestrator.FunctionalTests.Infrastructure;

/// <summary>A fixture whose tests share one API instance over a test data file (<c>TestData/jobs.json</c> unless it says), imported once.</summary>
public abstract class ImportedCaptureFixture
{
    protected virtual string CaptureFile => TestData.Jobs;

    protected OrchestratorApiFactory Factory { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task ImportCapture()
    {
        Factory = new OrchestratorApiFactory();
        await Factory.ImportAsync(CaptureFile);
        Client = Factory.CreateClient();
    }

    [OneTimeTearDown]
    public async Task DisposeFactory()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
