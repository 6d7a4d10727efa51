using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NodaTime;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Definitions;
using Workflows.Definitions.Rehearsal;
using Workflows.Host.Api;
using Workflows.Host.Engine;
using Workflows.Host.Hosting;
using Workflows.Host.Mail;

namespace Workflows.Host.Rehearsal;

/// <summary>
/// <c>POST /api/definitions/rehearsal</c>: a prøvekørsel of a draft on its own clock with made-up answers. It touches no
/// real instance and sends nothing; the mails it would send are shown in their Danish words.
/// </summary>
public static class RehearsalApi
{
    public static IEndpointRouteBuilder MapRehearsalApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("definitions/rehearsal", RehearseAsync).WithTags("Definitions").WithName("RehearseDefinition")
            .WithSummary("Runs a draft in a sandbox on its own clock with made-up answers and returns what would happen when; nothing is saved or sent.");
        return api;
    }

    public static async Task<Results<Ok<RehearsalReport>, ValidationProblem>> RehearseAsync(
        RehearsalRequest? request, DraftRehearsal rehearsal, IClock clock, DateTimeZone zone, IOptions<MailOptions> mail,
        IOptions<ProcesFlowOptions> options, CancellationToken cancellationToken)
    {
        if (request?.Definition is not JsonObject definition)
        {
            return ApiResults.Invalid("$.definition", "is required: the definition to rehearse");
        }
        var start = request.Start is null ? clock.GetCurrentInstant() : EngineSetup.ParseStart(request.Start, zone);
        if (start is null)
        {
            return ApiResults.Invalid("$.start", "must be a local date-time (2019-10-01T09:00) or an ISO instant");
        }
        var onTime = request.Answers?.OnTime ?? 0;
        var late = request.Answers?.Late ?? 0;
        if (onTime < 0 || late < 0)
        {
            return ApiResults.Invalid(onTime < 0 ? "$.answers.onTime" : "$.answers.late", "must be 0 or more");
        }

        RehearsalResult result;
        try
        {
            result = await rehearsal.RunAsync(definition, request.Input, start.Value, new RehearsalScript(onTime, late), cancellationToken);
        }
        catch (ValidationException exception)
        {
            // The definition's own paths are relative to it; the input's are the start request's, as in POST /api/instances.
            return ApiResults.Invalid(exception.Errors.Select(e => e.Path.StartsWith("$.input", StringComparison.Ordinal) ? e : e with { Path = "$.definition" + e.Path[1..] }).ToList());
        }

        var templates = new MailTemplates(mail.Value.TemplatesFolder);
        var link = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/svar/(personligt link)";
        var events = result.Events.Select(e =>
        {
            var when = DanishText.DateTime(e.At.InZone(zone).LocalDateTime);
            if (e.Kind != RehearsalEventKind.Mail)
            {
                return new RehearsalStep(e.At, when, e.Kind.ToString(), e.ActivityId, e.PartyId, [], null, null, e.Text);
            }
            // Through text, as the outbox stores it: the templates read parsed JSON values.
            var model = JsonNode.Parse(e.Model?.ToJsonString() ?? "{}")!.AsObject();
            model["answerUrl"] = link;
            var rendered = e.Template is null ? null : templates.Render(e.Template, model);
            return new RehearsalStep(e.At, when, e.Kind.ToString(), e.ActivityId, e.PartyId, e.To, e.Template, rendered?.Subject ?? e.Text, rendered?.Text);
        }).ToList();
        return TypedResults.Ok(new RehearsalReport(result.Status, result.Stopped, result.WaitingFor, events.Count(e => e.Kind == "Mail"), events));
    }
}

/// <summary>A prøvekørsel: the draft, its input, when its clock starts, and how many parties answer on time and late in each round.</summary>
public sealed record RehearsalRequest(JsonObject? Definition, JsonObject? Input, string? Start, RehearsalAnswers? Answers);

public sealed record RehearsalAnswers(int? OnTime, int? Late);

/// <summary>What would happen: the flow's status at the end, whether it was stopped, what it still waits for, and every step in time order.</summary>
public sealed record RehearsalReport(string Status, bool Stopped, IReadOnlyList<string> WaitingFor, int Mails, IReadOnlyList<RehearsalStep> Steps);

/// <summary>One step: when (and in Danish), what (Answer, Mail, Journal), where, to whom; a mail with its subject and text.</summary>
public sealed record RehearsalStep(
    Instant At, string When, string Kind, string? ActivityId, string? PartyId, IReadOnlyList<string> To, string? Template, string? Subject, string? Text);
