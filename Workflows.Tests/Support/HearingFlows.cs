using System.Text;
using Workflows.Host.Api;

namespace Workflows.Tests.Support;

/// <summary>Small flows around one hearing, published and started through the API as a process owner would.</summary>
internal static class HearingFlows
{
    /// <summary>Start → a hearing (<paramref name="hearingProperties"/>: its JSON properties) → Finish on either port.</summary>
    public static string OneHearing(string definitionId, string hearingProperties) => $$"""
        {
          "definitionId": "{{definitionId}}", "name": "Høring",
          "root": {
            "activities": [
              { "id": "start", "type": "Start" },
              { "id": "hearing", "type": "Hearing", "title": "Sundhedsaftale", {{hearingProperties}} },
              { "id": "done", "type": "Finish" }
            ],
            "connections": [
              { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "hearing" } },
              { "source": { "activity": "hearing", "port": "AllAnswered" }, "target": { "activity": "done" } },
              { "source": { "activity": "hearing", "port": "DeadlinePassed" }, "target": { "activity": "done" } }
            ]
          }
        }
        """;

    /// <summary>Saves and publishes <paramref name="definition"/>, then starts an instance of it.</summary>
    public static async Task<Guid> PublishAndStartAsync(HttpClient api, string definitionId, string definition)
    {
        await (await api.PostAsync("/api/definitions", new StringContent(definition, Encoding.UTF8, "application/json"))).ReadAsync<DefinitionSaved>();
        await (await api.PostAsync($"/api/definitions/{definitionId}/publish", null)).ReadAsync<DefinitionSaved>();
        return (await (await api.PostJsonAsync("/api/instances", new { definitionId })).ReadAsync<InstanceStarted>()).InstanceId;
    }
}
