using System.Text.Json.Nodes;
using Workflows.Definitions.Definitions;
using Workflows.Tests.Fakes;

namespace Workflows.Tests.Definitions;

public class DefinitionManagerTests
{
    private static JsonNode Document(string name = "Godkendelse") =>
        JsonNode.Parse(DefinitionParserTests.Valid.Replace("\"Godkendelse\"", $"\"{name}\"", StringComparison.Ordinal))!;

    [Fact]
    public async Task SaveDraft_ThenPublish_MakesVersionOnePublished()
    {
        var harness = new EngineHarness();
        var draft = await harness.Manager.SaveDraftAsync(Document(), CancellationToken.None);
        Assert.Equal(1, draft.Version);
        Assert.False(draft.IsPublished);

        var published = await harness.Manager.PublishAsync("approval-demo", CancellationToken.None);
        Assert.True(published!.IsPublished);
        Assert.Equal(1, published.Version);
    }

    [Fact]
    public async Task SaveDraft_WhileDraftIsLatest_ReplacesTheDraft()
    {
        var harness = new EngineHarness();
        await harness.Manager.SaveDraftAsync(Document("Første"), CancellationToken.None);
        var second = await harness.Manager.SaveDraftAsync(Document("Anden"), CancellationToken.None);
        Assert.Equal(1, second.Version);
        Assert.Single(await harness.Definitions.ListVersionsAsync("approval-demo", CancellationToken.None));
    }

    [Fact]
    public async Task SaveDraft_AfterPublish_CreatesNewVersion_AndRunningInstanceStaysOnItsVersion()
    {
        var harness = new EngineHarness();
        await harness.Manager.SaveAndPublishAsync(Document("Version 1"), CancellationToken.None);
        var instance = await harness.StartAsync("approval-demo", new JsonObject { ["title"] = "Sag" });

        var draft = await harness.Manager.SaveDraftAsync(Document("Version 2"), CancellationToken.None);
        Assert.Equal(2, draft.Version);
        var stillPublished = await harness.Definitions.FindPublishedAsync("approval-demo", CancellationToken.None);
        Assert.Equal(1, stillPublished!.Version);

        await harness.Manager.PublishAsync("approval-demo", CancellationToken.None);
        var newer = await harness.StartAsync("approval-demo", new JsonObject { ["title"] = "Ny sag" });
        Assert.Equal(2, newer.DefinitionVersion);

        var reloaded = await harness.ReloadAsync(instance.Id);
        Assert.Equal(1, reloaded.DefinitionVersion);
        // The old instance still runs on version 1.
        await harness.Runtime.SignalAsync(instance.Id, "answer", null, "test", CancellationToken.None);
        Assert.Contains("count", harness.Completed(instance.Id));
    }

    [Fact]
    public async Task SaveDraft_InvalidDocument_ThrowsWithEveryError()
    {
        var harness = new EngineHarness();
        var document = Document().AsObject();
        document["name"] = 1;
        document["root"]!["activities"]![1]!["signal"] = false;
        var exception = await Assert.ThrowsAsync<ValidationException>(() => harness.Manager.SaveDraftAsync(document, CancellationToken.None));
        Assert.Contains(exception.Errors, e => e.Path == "$.name");
        Assert.Contains(exception.Errors, e => e.Path == "$.root.activities[1].signal");
    }

    [Fact]
    public async Task SaveAndPublish_SameContentTwice_KeepsOneVersion()
    {
        var harness = new EngineHarness();
        await harness.Manager.SaveAndPublishAsync(Document(), CancellationToken.None);
        var again = await harness.Manager.SaveAndPublishAsync(Document(), CancellationToken.None);
        Assert.Equal(1, again.Version);
    }
}
