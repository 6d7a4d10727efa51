using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;
using Workflows.Definitions.Calendar;
using Workflows.Definitions.Expressions;
using Workflows.Definitions.Runtime;

namespace Workflows.Definitions.Activities.Hearings;

/// <summary>
/// Send i høring: sends the material to every party with a personal answer link and a Danish deadline, reminds
/// only those who have not answered, marks the late ones, and completes when every party has answered
/// (<c>AllAnswered</c>) or when the hearing closes with answers missing (<c>DeadlinePassed</c>).
/// </summary>
/// <remarks>
/// Each party is a <see cref="PartyTask"/> with its own deadline. The hearing closes at the latest party
/// deadline, or, with a late policy that accepts late answers, at its <c>until</c>. Signals (sent by the host):
/// <c>{activityId}:answer</c> <c>{ "partyTaskId", "noComments", "text", "attachments" }</c>,
/// <c>{activityId}:deadline</c> <c>{ "partyTaskId"? , "deadline": { … }, "actor" }</c> (one party, or all when
/// no task is named), <c>{activityId}:remind</c> <c>{ "partyTaskId"?, "actor" }</c> (remind now: one party, or
/// all who have not answered), <c>{activityId}:resend</c> <c>{ "partyTaskId", "to": [ … ], "actor" }</c> (the
/// invitation again, to new addresses that replace the party's contacts), <c>{activityId}:extension-refused</c>
/// <c>{ "partyTaskId", "reason"?, "actor" }</c> (the party is told its deadline stands) and <c>{activityId}:close</c>.
/// </remarks>
public sealed class Hearing(Hearing.Settings settings) : IActivity
{
    public const string AllAnsweredPort = "AllAnswered";
    public const string DeadlinePassedPort = "DeadlinePassed";
    public const string ApprovedPort = "Approved";
    public const string NotApprovedPort = "NotApproved";

    /// <summary>What the parties are asked for: a høringssvar, a decision to approve (godkendelse), or to accede (tiltrædelse).</summary>
    public static readonly IReadOnlyList<string> Asks = ["answer", "approval", "accession"];

    /// <summary>How long a personal link keeps working after the hearing closes (to see the receipt, not to answer).</summary>
    public static readonly Duration TokenGrace = Duration.FromDays(14);

    private const string TimerName = "next";

    // Declared before Descriptor: static initializers run in order, and Descriptor's binding uses these.
    private static readonly PropertyKind<JsonNode?> PartiesKind = new("parties", (node, errors) =>
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String || node is JsonArray)
        {
            return node.DeepClone();
        }
        errors.Add(("", "must be a region (\"midtjylland\"), a group or party id, or a list of these"));
        return null;
    });

    private static readonly PropertyKind<LatePolicy> LatePolicyKind = new("latePolicy", (node, errors) =>
    {
        var mode = node is JsonValue text && text.GetValueKind() == JsonValueKind.String ? text.GetValue<string>() : node?["mode"]?.GetValueKind() == JsonValueKind.String ? node["mode"]!.GetValue<string>() : null;
        switch (mode)
        {
            case "reject":
                return LatePolicy.Reject;
            case "acceptUntil" or "acceptAndMarkLate":
                var until = DeadlineJson.Parse(node?["until"], errors);
                if (until is null && errors.Count == 0)
                {
                    errors.Add(("until", "is required: until when late answers are accepted"));
                }
                return new LatePolicy(mode, until);
            default:
                errors.Add(("", "must be \"reject\", or { \"mode\": \"acceptUntil\", \"until\": { \"date\": \"…\", \"at\": \"…\" } }"));
                return LatePolicy.Reject;
        }
    });

    private static readonly PropertyKind<IReadOnlyList<Material>> MaterialKind = new("material", (node, errors) =>
    {
        if (node is not JsonArray array)
        {
            errors.Add(("", "must be a list of { \"title\": \"…\", \"url\": \"…\" }"));
            return [];
        }
        var material = new List<Material>();
        for (var i = 0; i < array.Count; i++)
        {
            var title = array[i]?["title"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;
            var url = array[i]?["url"] is JsonValue u && u.GetValueKind() == JsonValueKind.String ? u.GetValue<string>() : null;
            if (array[i] is not JsonObject || title is null)
            {
                errors.Add(($"[{i}].title", "is required"));
                continue;
            }
            if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            {
                errors.Add(($"[{i}].url", "must be an http(s) address"));
                continue;
            }
            material.Add(new Material(title, url));
        }
        return material;
    });

    private static readonly PropertyKind<int?> QuorumKind = new("integer", (node, errors) =>
    {
        var value = PropertyKinds.WholeNumber.Convert(node, errors);
        if (errors.Count == 0 && value < 1)
        {
            errors.Add(("", "must be at least 1"));
        }
        return value;
    });

    public static ActivityDescriptor Descriptor { get; } = new(
        "Hearing", "Send i høring", "Høring",
        "Sender materialet til parterne med personligt svarlink og frist, minder dem, der ikke har svaret, og samler svarene.",
        [
            new("title", "text", true, "Titel"),
            new("caseNumber", "text", false, "Sagsnummer"),
            new("sender", "text", false, "Afsender"),
            new("parties", "json", true, "Parter"),
            new("deadline", "deadline", true, "Frist"),
            new("reminders", "json", false, "Påmindelser"),
            new("rykker", "json", false, "Rykkere"),
            new("latePolicy", "json", false, "For sene svar"),
            new("material", "json", false, "Materiale"),
            new("message", "text", false, "Følgetekst"),
            new("resultVariable", "string", false, "Gem resultat i variabel"),
            new("ask", "enum", false, "Parterne bedes om", Asks),
            new("quorum", "integer", false, "Godkendt når mindst (antal parter)"),
            new("effectiveDate", "deadline", false, "Ikrafttræden"),
        ],
        CanWait: true,
        reader =>
        {
            var resultVariable = reader.VariableName("resultVariable");
            var settings = new Settings(
                reader.Text("title"),
                reader.Text("caseNumber"),
                reader.Text("sender"),
                reader.Get("parties", PartiesKind, null),
                reader.Get("deadline", Waiting.WaitUntil.DeadlineKind, null),
                reader.Get("reminders", RemindersKind(before: true), []),
                reader.Get("rykker", RemindersKind(before: false), []),
                reader.Get("latePolicy", LatePolicyKind, LatePolicy.Reject),
                reader.Get("material", MaterialKind, []),
                reader.Text("message"),
                resultVariable,
                reader.Literal("ask", PropertyKinds.OneOf([.. Asks]), "answer"),
                reader.Get<int?>("quorum", QuorumKind, null),
                reader.Get("effectiveDate", Waiting.WaitUntil.DeadlineKind, null));
            if (settings.Ask == "answer" && (reader.Has("quorum") || reader.Has("effectiveDate")))
            {
                reader.Error(reader.Has("quorum") ? "quorum" : "effectiveDate", "applies only when \"ask\" is \"approval\" or \"accession\"");
            }
            return new ActivityBinding(new Hearing(settings),
                settings.Ask == "answer" ? [AllAnsweredPort, DeadlinePassedPort] : [ApprovedPort, NotApprovedPort]);
        });

    public ValueTask<ActivityResult> ExecuteAsync(ActivityContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Execute(context));

    private ActivityResult Execute(ActivityContext context)
    {
        var state = new HearingState(context);
        if (context.Resumption is not { } resumption)
        {
            Send(context, state);
        }
        else if (resumption.BookmarkName == Signal(context, "answer"))
        {
            Answer(context, state, resumption.Payload);
        }
        else if (resumption.BookmarkName == Signal(context, "deadline"))
        {
            ChangeDeadline(context, state, resumption.Payload);
        }
        else if (resumption.BookmarkName == Signal(context, "remind"))
        {
            RemindNow(context, state, resumption.Payload);
        }
        else if (resumption.BookmarkName == Signal(context, "resend"))
        {
            ResendInvitation(context, state, resumption.Payload);
        }
        else if (resumption.BookmarkName == Signal(context, "extension-refused"))
        {
            ExtensionRefused(context, state, resumption.Payload);
        }
        else if (resumption.BookmarkName == Signal(context, "close"))
        {
            context.Journal("Høringen er lukket før tid.", resumption.Payload?.DeepClone() as JsonObject);
            return Close(context);
        }

        ProcessDueEvents(context, state);
        var tasks = Tasks(context);
        if (tasks.All(t => t.IsAnswered) || context.Now >= state.CloseAt)
        {
            return Close(context);
        }

        var next = NextEvent(context, state);
        return new ActivityResult.Suspended(
        [
            BookmarkRequest.Signal(Signal(context, "answer")),
            BookmarkRequest.Signal(Signal(context, "deadline")),
            BookmarkRequest.Signal(Signal(context, "remind")),
            BookmarkRequest.Signal(Signal(context, "resend")),
            BookmarkRequest.Signal(Signal(context, "extension-refused")),
            BookmarkRequest.Signal(Signal(context, "close")),
            BookmarkRequest.Timer(TimerName, next),
        ]);
    }

    /// <summary>The signal names the host uses to reach this hearing.</summary>
    public static string Signal(string activityId, string kind) => $"{activityId}:{kind}";

    private static string Signal(ActivityContext context, string kind) => Signal(context.ActivityId, kind);

    private void Send(ActivityContext context, HearingState state)
    {
        var title = context.Render(settings.Title, "title").Trim();
        if (title.Trim().Length == 0)
        {
            throw new ActivityPropertyException("title", "is empty");
        }
        var selector = settings.Parties.Evaluate(context) ?? throw new ActivityPropertyException("parties", "has no value");
        var resolution = context.Parties.Resolve(JsonSerializer.Deserialize<JsonElement>(selector.ToJsonString()));
        if (!resolution.Succeeded)
        {
            throw new ActivityPropertyException("parties", string.Join("; ", resolution.Errors.Select(e => e.Message)));
        }
        if (resolution.Parties.Count == 0)
        {
            throw new ActivityPropertyException("parties", "names no parties");
        }
        var spec = settings.Deadline.Evaluate(context) ?? throw new ActivityPropertyException("deadline", "has no value");
        var deadline = context.Calendar.Resolve(spec, context.Now);
        if (deadline.Instant <= context.Now)
        {
            throw new ActivityPropertyException("deadline", $"{deadline.Text} has already passed");
        }
        var reminders = settings.Reminders.Evaluate(context);
        var rykkere = settings.Rykker.Evaluate(context);
        var latePolicy = settings.LatePolicy.Evaluate(context);
        var closeAt = latePolicy.Until is { } until ? Max(context.Calendar.Resolve(until, context.Now).Instant, deadline.Instant) : deadline.Instant;
        var quorum = settings.Quorum.Evaluate(context) ?? resolution.Parties.Count;
        if (quorum > resolution.Parties.Count)
        {
            throw new ActivityPropertyException("quorum", $"is {quorum}, more than the {resolution.Parties.Count} parties");
        }
        var effective = settings.EffectiveDate.Evaluate(context) is { } effectiveSpec ? context.Calendar.WithoutHearingMinimum().Resolve(effectiveSpec, context.Now) : null;

        state.Save(new JsonObject
        {
            ["title"] = title,
            // Empty texts are stored as null: Liquid treats "" as true, and templates ask "{% if sender %}".
            ["caseNumber"] = NullIfEmpty(context.Render(settings.CaseNumber, "caseNumber").Trim()),
            ["sender"] = NullIfEmpty(context.Render(settings.Sender, "sender").Trim()),
            ["message"] = NullIfEmpty(context.Render(settings.Message, "message").Trim()),
            ["material"] = new JsonArray(settings.Material.Evaluate(context).Select(m => (JsonNode)new JsonObject { ["title"] = m.Title, ["url"] = m.Url }).ToArray()),
            ["reminders"] = new JsonArray(reminders.Select(r => (JsonNode)DeadlineJson.ToJson(r)).ToArray()),
            ["rykker"] = new JsonArray(rykkere.Select(r => (JsonNode)DeadlineJson.ToJson(r)).ToArray()),
            ["latePolicy"] = latePolicy.Mode,
            ["closeAt"] = InstantPattern.ExtendedIso.Format(closeAt),
            ["ask"] = settings.Ask,
            ["quorum"] = settings.Ask == "answer" ? null : quorum,
            ["effectiveAt"] = effective is null ? null : InstantPattern.ExtendedIso.Format(effective.Instant),
            ["sequence"] = new JsonObject(),
            ["tokens"] = new JsonObject(),
        });

        context.Journal(settings.Ask switch
        {
            "approval" => $"'{title}' sendes til godkendelse hos {resolution.Parties.Count} parter med frist {deadline.Text}; godkendt når {quorum} af {resolution.Parties.Count} har godkendt.",
            "accession" => $"'{title}' sendes til tiltrædelse hos {resolution.Parties.Count} parter med frist {deadline.Text}{(effective is null ? "" : $"; træder i kraft {DanishText.Date(effective.Local.Date)}")}.",
            _ => $"Høringen '{title}' sendes til {resolution.Parties.Count} parter med frist {deadline.Text}.",
        });
        foreach (var warning in deadline.Warnings)
        {
            context.Journal($"Advarsel: {warning}");
        }
        foreach (var party in resolution.Parties)
        {
            var token = NewToken();
            var task = new PartyTask(Guid.CreateVersion7(), context.InstanceId, context.ActivityId, party.Id, party.Name, party.Contacts,
                deadline.Instant, HashToken(token), closeAt + TokenGrace, context.Now);
            context.PartyTasks.Add(task);
            // Reminders whose time has already passed when the hearing is sent are skipped, not sent late.
            while (task.RemindersSent < reminders.Count && ReminderAt(context, state, task, task.RemindersSent) <= context.Now)
            {
                task.SkipReminder();
            }
            // The token is kept with the hearing so every later mail (reminder, rykker, receipt) can carry the
            // party's link too; the party task itself stores only its hash, for the lookup.
            state.Data["tokens"]![task.Id.ToString()] = token;
            context.QueueTemplatedEmail(task.Contacts, state.Template("invitation"), Model(context, state, task), task.Id);
        }
    }

    private static void Answer(ActivityContext context, HearingState state, JsonNode? payload)
    {
        var task = TaskFrom(context, payload, "answer");
        if (task is null)
        {
            return;
        }
        if (context.Now > task.Deadline && state.Data["latePolicy"]?.GetValue<string>() == "reject")
        {
            // The host refuses these before they get here; this keeps the rule even if one slips through.
            context.Journal($"Svar fra {task.PartyName} efter fristen er afvist (høringen modtager ikke sene svar).", payload?.DeepClone().AsObject());
            return;
        }
        var noComments = payload?["noComments"] is JsonValue v && v.GetValueKind() == JsonValueKind.True;
        var ask = state.Ask;
        var decision = payload?["decision"] is JsonValue d && d.GetValueKind() == JsonValueKind.String ? d.GetValue<string>() : null;
        if (ask != "answer" && decision is not ("approved" or "rejected"))
        {
            context.Journal($"Svar fra {task.PartyName} uden en beslutning (godkendt eller ikke godkendt) er ignoreret.", payload?.DeepClone().AsObject());
            return;
        }
        var replaced = task.IsAnswered;
        task.Answer(context.Now, noComments && ask == "answer", ask == "answer" ? null : decision);
        var late = task.Status == PartyTaskStatus.AnsweredLate;
        var what = ask switch
        {
            "approval" => decision == "approved" ? "godkendt" : "ikke godkendt",
            "accession" => decision == "approved" ? "tiltrådt" : "ikke tiltrådt",
            _ => noComments ? "svaret: ingen bemærkninger" : "afgivet høringssvar",
        };
        context.Journal(
            $"{task.PartyName} har {(replaced ? $"erstattet sit svar ({what})" : what)}{(late ? " (for sent)" : "")}.",
            payload?.DeepClone().AsObject());

        var model = Model(context, state, task);
        model["receipt"] = new JsonObject
        {
            ["receivedAt"] = DeadlineModel(Deadline.FromInstant(context.Now, context.Zone)),
            ["noComments"] = noComments,
            ["decision"] = task.Decision,
            ["late"] = late,
            ["text"] = payload?["text"]?.DeepClone(),
            ["attachments"] = payload?["attachments"]?.DeepClone(),
        };
        var to = payload?["replyTo"] is JsonValue r && r.GetValueKind() == JsonValueKind.String ? [r.GetValue<string>()] : task.Contacts;
        context.QueueTemplatedEmail(to, state.Template("receipt"), model, task.Id);
    }

    private static void ChangeDeadline(ActivityContext context, HearingState state, JsonNode? payload)
    {
        var errors = new List<(string Path, string Message)>();
        var spec = DeadlineJson.Parse(payload?["deadline"], errors);
        if (spec is null || errors.Count > 0)
        {
            context.Journal($"Fristændring afvist: {string.Join("; ", errors.Select(e => e.Message))}", payload?.DeepClone().AsObject());
            return;
        }
        var deadline = context.Calendar.Resolve(spec, context.Now);
        var actor = payload?["actor"]?.GetValue<string>() ?? "ukendt";
        var tasks = payload?["partyTaskId"] is null ? Tasks(context).ToList() : [.. new[] { TaskFrom(context, payload, "deadline") }.OfType<PartyTask>()];
        foreach (var task in tasks)
        {
            var previous = Deadline.FromInstant(task.Deadline, context.Zone);
            var closeAt = Max(state.CloseAt, deadline.Instant);
            state.CloseAt = closeAt;
            task.ExtendTo(deadline.Instant, closeAt + TokenGrace);
            // Reminders are planned afresh against the new deadline; those already past count as sent.
            var reminders = state.Reminders;
            var due = 0;
            while (due < reminders.Count && ReminderAt(context, state, task, due) <= context.Now)
            {
                due++;
            }
            task.ResetReminders(due);
            var sequence = state.NextSequence(task.Id);
            context.Journal($"Fristen for {task.PartyName} er ændret fra {previous.Text} til {deadline.Text} af {actor}.", payload?.DeepClone().AsObject(), actor);
            if (!task.IsAnswered)
            {
                var model = Model(context, state, task);
                model["previousDeadline"] = DeadlineModel(previous);
                model["sequence"] = sequence;
                context.QueueTemplatedEmail(task.Contacts, "deadline-changed", model, task.Id);
            }
        }
    }

    /// <summary>
    /// Remind now: a reminder (before the deadline) or a rykker (after it) to one party, or to every party that has
    /// not answered. Parties that have answered are never reminded. The planned reminders are not affected.
    /// </summary>
    private static void RemindNow(ActivityContext context, HearingState state, JsonNode? payload)
    {
        var actor = payload?["actor"]?.GetValue<string>() ?? "ukendt";
        var tasks = payload?["partyTaskId"] is null ? Tasks(context).ToList() : [.. new[] { TaskFrom(context, payload, "remind") }.OfType<PartyTask>()];
        var reminded = new List<string>();
        foreach (var task in tasks.Where(t => !t.IsAnswered))
        {
            var template = context.Now < task.Deadline ? "reminder" : "rykker";
            var model = Model(context, state, task);
            model["reminderNumber"] = (template == "reminder" ? task.RemindersSent : task.RykkereSent) + 1;
            context.QueueTemplatedEmail(task.Contacts, state.Template(template), model, task.Id);
            task.RemindedByHand(context.Now);
            reminded.Add(task.PartyName);
        }
        context.Journal(
            reminded.Count == 0 ? $"Ingen påmindelse sendt: alle har svaret (bedt om af {actor})." : $"Påmindelse sendt nu til {string.Join(", ", reminded)} af {actor}.",
            payload?.DeepClone().AsObject(), actor);
    }

    /// <summary>A party asked for a longer deadline and was refused: it is told, so it does not wait for an answer.</summary>
    private static void ExtensionRefused(ActivityContext context, HearingState state, JsonNode? payload)
    {
        var task = TaskFrom(context, payload, "extension-refused");
        if (task is null)
        {
            return;
        }
        var actor = payload?["actor"]?.GetValue<string>() ?? "ukendt";
        context.Journal($"Anmodningen om fristforlængelse fra {task.PartyName} er afslået af {actor}.", payload?.DeepClone().AsObject(), actor);
        if (!task.IsAnswered)
        {
            var model = Model(context, state, task);
            model["requestReason"] = payload?["reason"]?.DeepClone();
            context.QueueTemplatedEmail(task.Contacts, "extension-refused", model, task.Id);
        }
    }

    /// <summary>The invitation again, to new addresses; they replace the party's contacts for every later mail.</summary>
    private static void ResendInvitation(ActivityContext context, HearingState state, JsonNode? payload)
    {
        var task = TaskFrom(context, payload, "resend");
        var to = payload?["to"] is JsonArray list
            ? list.Select(a => a is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>().Trim() : "").Where(a => a.Contains('@', StringComparison.Ordinal)).ToList()
            : [];
        if (task is null)
        {
            return;
        }
        var actor = payload?["actor"]?.GetValue<string>() ?? "ukendt";
        if (to.Count == 0)
        {
            context.Journal($"Invitationen til {task.PartyName} blev ikke sendt igen: ingen gyldig adresse.", payload?.DeepClone().AsObject(), actor);
            return;
        }
        var previous = string.Join(", ", task.Contacts);
        task.ChangeContacts(to);
        context.QueueTemplatedEmail(task.Contacts, state.Template("invitation"), Model(context, state, task), task.Id);
        context.Journal($"Invitationen til {task.PartyName} er sendt igen til {string.Join(", ", to)} (før: {previous}) af {actor}.", payload?.DeepClone().AsObject(), actor);
    }

    /// <summary>Sends the reminders and rykkere that have fallen due and marks parties past their deadline.</summary>
    private static void ProcessDueEvents(ActivityContext context, HearingState state)
    {
        if (state.EffectiveAt is { } effectiveAt && effectiveAt <= context.Now)
        {
            CheckEffectiveDate(context, state);
        }
        foreach (var task in Tasks(context).Where(t => !t.IsAnswered))
        {
            var reminded = false;
            while (task.RemindersSent < state.Reminders.Count && ReminderAt(context, state, task, task.RemindersSent) <= context.Now)
            {
                var number = task.RemindersSent + 1;
                task.Reminded(context.Now);
                // Several reminders due at once (the clock jumped) give one mail, not a burst.
                if (!reminded && context.Now < task.Deadline)
                {
                    var model = Model(context, state, task);
                    model["reminderNumber"] = number;
                    context.QueueTemplatedEmail(task.Contacts, state.Template("reminder"), model, task.Id);
                    reminded = true;
                }
            }
            if (context.Now >= task.Deadline && task.Status != PartyTaskStatus.Overdue)
            {
                task.MarkOverdue();
                context.Journal($"{task.PartyName} har ikke svaret inden fristen {Deadline.FromInstant(task.Deadline, context.Zone).Text}.");
            }
            var rykket = false;
            while (task.RykkereSent < state.Rykkere.Count && RykkerAt(context, state, task, task.RykkereSent) <= context.Now)
            {
                var number = task.RykkereSent + 1;
                task.RykkerSent(context.Now);
                if (!rykket && context.Now < state.CloseAt)
                {
                    var model = Model(context, state, task);
                    model["reminderNumber"] = number;
                    context.QueueTemplatedEmail(task.Contacts, state.Template("rykker"), model, task.Id);
                    rykket = true;
                }
            }
        }
    }

    private static Instant NextEvent(ActivityContext context, HearingState state)
    {
        var candidates = new List<Instant> { state.CloseAt };
        if (state.EffectiveAt is { } effectiveAt)
        {
            candidates.Add(effectiveAt);
        }
        foreach (var task in Tasks(context).Where(t => !t.IsAnswered))
        {
            if (task.RemindersSent < state.Reminders.Count)
            {
                candidates.Add(ReminderAt(context, state, task, task.RemindersSent));
            }
            if (task.Status != PartyTaskStatus.Overdue)
            {
                candidates.Add(task.Deadline);
            }
            if (task.RykkereSent < state.Rykkere.Count)
            {
                candidates.Add(RykkerAt(context, state, task, task.RykkereSent));
            }
        }
        return candidates.Where(c => c > context.Now).DefaultIfEmpty(state.CloseAt).Min();
    }

    private ActivityResult Close(ActivityContext context)
    {
        var tasks = Tasks(context).ToList();
        foreach (var task in tasks)
        {
            task.MarkOverdue();
            task.CloseTokenAt(context.Now + TokenGrace);
        }
        var answered = tasks.Count(t => t.IsAnswered);
        var approved = tasks.Count(t => t.Decision == "approved");
        var state = new HearingState(context);
        string outcome;
        if (settings.Ask == "answer")
        {
            outcome = answered == tasks.Count ? AllAnsweredPort : DeadlinePassedPort;
            context.Journal($"Høringen er afsluttet: {answered} af {tasks.Count} har svaret.");
        }
        else
        {
            var quorum = state.Quorum ?? tasks.Count;
            outcome = approved >= quorum ? ApprovedPort : NotApprovedPort;
            var verb = settings.Ask == "accession" ? "tiltrådt" : "godkendt";
            context.Journal($"Runden er afsluttet: {approved} af {tasks.Count} har {verb} ({quorum} kræves), {tasks.Count(t => t.Decision == "rejected")} har ikke, {tasks.Count - answered} har ikke svaret.");
            if (state.EffectiveAt is not null)
            {
                CheckEffectiveDate(context, state);
            }
        }
        if (settings.ResultVariable is { } variable)
        {
            context.Variables[variable] = new JsonObject
            {
                ["total"] = tasks.Count,
                ["answered"] = answered,
                ["approved"] = settings.Ask == "answer" ? null : approved,
                ["rejected"] = settings.Ask == "answer" ? null : tasks.Count(t => t.Decision == "rejected"),
                ["late"] = tasks.Count(t => t.Status == PartyTaskStatus.AnsweredLate),
                ["missing"] = new JsonArray(tasks.Where(t => !t.IsAnswered).Select(t => (JsonNode)t.PartyId).ToArray()),
                ["parties"] = new JsonArray(tasks.Select(t => (JsonNode)new JsonObject
                {
                    ["partyId"] = t.PartyId,
                    ["name"] = t.PartyName,
                    ["status"] = t.Status.ToString(),
                    ["decision"] = t.Decision,
                    ["answeredAt"] = t.AnsweredAt is { } at ? InstantPattern.ExtendedIso.Format(at) : null,
                }).ToArray()),
            };
        }
        return ActivityResult.Outcome(outcome);
    }

    /// <summary>
    /// Once, at the entry into force (or when the round closes, if earlier): a warning when not every party has acceded,
    /// since agreements such as the akutfunktioner are costed on all 29 kommuner joining.
    /// </summary>
    private static void CheckEffectiveDate(ActivityContext context, HearingState state)
    {
        if (state.Data["effectiveChecked"]?.GetValue<bool>() == true)
        {
            return;
        }
        state.Data["effectiveChecked"] = true;
        var tasks = Tasks(context).ToList();
        var approved = tasks.Where(t => t.Decision == "approved").ToList();
        if (approved.Count == tasks.Count)
        {
            return;
        }
        var verb = state.Ask == "accession" ? "tiltrådt" : "godkendt";
        var effective = Deadline.FromInstant(state.EffectiveAt!.Value, context.Zone);
        var missing = tasks.Where(t => t.Decision != "approved").Select(t => t.PartyName);
        context.Journal($"Advarsel: kun {approved.Count} af {tasks.Count} har {verb} '{state.Data["title"]}' til ikrafttrædelsen {DanishText.Date(effective.Local.Date)}. Mangler: {string.Join(", ", missing)}.");
    }

    private static PartyTask? TaskFrom(ActivityContext context, JsonNode? payload, string signal)
    {
        var id = payload?["partyTaskId"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && Guid.TryParse(v.GetValue<string>(), out var g) ? g : (Guid?)null;
        var task = id is null ? null : Tasks(context).FirstOrDefault(t => t.Id == id);
        if (task is null)
        {
            context.Journal($"Signalet '{signal}' nævnte ingen kendt part i denne høring og blev ignoreret.", payload?.DeepClone().AsObject());
        }
        return task;
    }

    /// <summary>
    /// The hearing's tasks in the order the parties were named (the store returns tasks created at the same instant
    /// in no fixed order); the tokens are kept in sending order, so their keys give it.
    /// </summary>
    private static IEnumerable<PartyTask> Tasks(ActivityContext context)
    {
        var order = (context.State["tokens"] as JsonObject ?? new JsonObject()).Select((token, index) => (token.Key, index)).ToDictionary(t => t.Key, t => t.index);
        return context.PartyTasks.Where(t => t.ActivityId == context.ActivityId).OrderBy(t => order.GetValueOrDefault(t.Id.ToString(), int.MaxValue));
    }

    private static Instant ReminderAt(ActivityContext context, HearingState state, PartyTask task, int index) =>
        ReminderInstants(context, state.Reminders, task)[index];

    private static Instant RykkerAt(ActivityContext context, HearingState state, PartyTask task, int index) =>
        ReminderInstants(context, state.Rykkere, task)[index];

    /// <summary>The instants of a party's reminders, earliest first, counted from its own deadline.</summary>
    private static List<Instant> ReminderInstants(ActivityContext context, IReadOnlyList<ReminderSpec> reminders, PartyTask task)
    {
        var deadline = Deadline.FromInstant(task.Deadline, context.Zone);
        return reminders.Select(r => context.Calendar.ResolveReminder(r, deadline)).Order().ToList();
    }

    private static JsonObject Model(ActivityContext context, HearingState state, PartyTask task)
    {
        var data = state.Data;
        return new JsonObject
        {
            ["title"] = data["title"]?.DeepClone(),
            ["caseNumber"] = data["caseNumber"]?.DeepClone(),
            ["sender"] = data["sender"]?.DeepClone(),
            ["message"] = data["message"]?.DeepClone(),
            ["material"] = data["material"]?.DeepClone(),
            ["partyId"] = task.PartyId,
            ["partyName"] = task.PartyName,
            ["deadline"] = DeadlineModel(Deadline.FromInstant(task.Deadline, context.Zone)),
            ["sequence"] = state.Sequence(task.Id),
            ["answerPath"] = data["tokens"]?[task.Id.ToString()] is JsonValue token ? $"/svar/{token.GetValue<string>()}" : null,
            ["ask"] = state.Ask,
            ["effectiveDate"] = state.EffectiveAt is { } effectiveAt ? DanishText.Date(Deadline.FromInstant(effectiveAt, context.Zone).Local.Date) : null,
        };
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static JsonObject DeadlineModel(Deadline deadline) => new()
    {
        ["instant"] = InstantPattern.ExtendedIso.Format(deadline.Instant),
        ["local"] = LocalDateTimePattern.ExtendedIso.Format(deadline.Local),
        ["text"] = deadline.Text,
    };


    private static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The stored form of a personal answer token: SHA-256, hex.</summary>
    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    private static Instant Max(Instant a, Instant b) => a > b ? a : b;

    private static PropertyKind<IReadOnlyList<ReminderSpec>> RemindersKind(bool before) => new("reminders", (node, errors) =>
    {
        var reminders = DeadlineJson.ParseReminders(node, errors) ?? [];
        for (var i = 0; i < reminders.Count; i++)
        {
            if (reminders[i].IsRykker == before)
            {
                errors.Add(($"[{i}]", before
                    ? "is a rykker (after the deadline); put it under \"rykker\""
                    : "is a reminder before the deadline; a rykker is { \"workingDaysAfter\": N }"));
            }
        }
        return reminders;
    });

    public sealed record Settings(
        LiquidText Title,
        LiquidText CaseNumber,
        LiquidText Sender,
        Property<JsonNode?> Parties,
        Property<DeadlineSpec?> Deadline,
        Property<IReadOnlyList<ReminderSpec>> Reminders,
        Property<IReadOnlyList<ReminderSpec>> Rykker,
        Property<LatePolicy> LatePolicy,
        Property<IReadOnlyList<Material>> Material,
        LiquidText Message,
        string? ResultVariable,
        string Ask,
        Property<int?> Quorum,
        Property<DeadlineSpec?> EffectiveDate);

    /// <summary><c>reject</c>: the hearing closes at the deadline; otherwise late answers are taken (and marked late) until <see cref="Until"/>.</summary>
    public sealed record LatePolicy(string Mode, DeadlineSpec? Until)
    {
        public static LatePolicy Reject { get; } = new("reject", null);
    }

    public sealed record Material(string Title, string? Url);

    /// <summary>The hearing's own durable state (in the activity state), read and written through typed members.</summary>
    private sealed class HearingState(ActivityContext context)
    {
        private List<ReminderSpec>? reminders;
        private List<ReminderSpec>? rykkere;

        public JsonObject Data => context.State;

        public Instant CloseAt
        {
            get => InstantPattern.ExtendedIso.Parse(Data["closeAt"]!.GetValue<string>()).Value;
            set => Data["closeAt"] = InstantPattern.ExtendedIso.Format(value);
        }

        // Parsed once per execution: the loops over parties ask for them again and again, and they never change.
        public List<ReminderSpec> Reminders => reminders ??= ParseList("reminders");

        public List<ReminderSpec> Rykkere => rykkere ??= ParseList("rykker");

        /// <summary><c>answer</c> for hearings started before approvals existed.</summary>
        public string Ask => Data["ask"]?.GetValue<string>() ?? "answer";

        public int? Quorum => Data["quorum"]?.GetValue<int>();

        /// <summary>The mail template for <paramref name="mail"/>: an approval round asks for a decision, in its own words.</summary>
        public string Template(string mail) => Ask == "answer" ? mail : mail switch
        {
            "invitation" => "approval-request",
            "receipt" => "approval-receipt",
            "reminder" or "rykker" => "approval-reminder",
            _ => mail,
        };

        public Instant? EffectiveAt => Data["effectiveAt"] is JsonValue value ? InstantPattern.ExtendedIso.Parse(value.GetValue<string>()).Value : null;

        public void Save(JsonObject values)
        {
            foreach (var (key, value) in values.ToList())
            {
                values.Remove(key);
                Data[key] = value;
            }
        }

        public int Sequence(Guid taskId) => Data["sequence"]?[taskId.ToString()]?.GetValue<int>() ?? 0;

        public int NextSequence(Guid taskId)
        {
            var next = Sequence(taskId) + 1;
            Data["sequence"]![taskId.ToString()] = next;
            return next;
        }

        private List<ReminderSpec> ParseList(string key) =>
            DeadlineJson.ParseReminders(Data[key], new List<(string, string)>())?.ToList() ?? [];
    }
}
