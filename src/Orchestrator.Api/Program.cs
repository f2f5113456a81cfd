using Orchestrator.Api;
using Orchestrator.Api.Verbs;

// `Orchestrator.Api [import <file> | seed [--jobs N] | migrate | openapi <file> | hash-token <token> | new-token]`: a verb runs against the
// configured database and exits; no verb serves the API (an unknown one prints the usage, CommandLine.Usage).
var (verb, verbArgs, hostArgs) = CommandLine.Split(args);

var builder = WebApplication.CreateBuilder(hostArgs);
builder.Services.AddOrchestratorApi(builder.Configuration);
var app = builder.Build();

if (verb is not null)
    return await VerbRunner.RunAsync(app, verb, verbArgs, Console.Out, Console.Error);

app.EnsureAuthenticationConfigured();
app.WarnWhenLinksFollowTheHostHeader();
await app.PrepareDatabaseAsync();
app.UseOrchestratorPipeline();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the functional tests' <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
