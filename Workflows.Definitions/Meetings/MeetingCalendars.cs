using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;

namespace Workflows.Definitions.Meetings;

/// <summary>
/// When the bodies meet: KKR, KD-Net, DASSOS, the health committees. A decision by a body is planned for its next
/// meeting, and an item that is postponed (udsat) moves to the meeting after. Dates are local Danish time.
/// </summary>
public sealed class MeetingCalendars
{
    private const string ReferenceResourceName = "Workflows.Definitions.Meetings.meeting-calendars.json";

    private static readonly Lazy<MeetingCalendars> Reference = new(LoadReferenceFromResource);

    private readonly FrozenDictionary<string, IReadOnlyList<LocalDateTime>> meetingsByBody;

    public MeetingCalendars(IReadOnlyDictionary<string, IReadOnlyList<LocalDateTime>> meetingsByBody)
    {
        this.meetingsByBody = meetingsByBody.ToFrozenDictionary(
            pair => pair.Key, pair => (IReadOnlyList<LocalDateTime>)pair.Value.Distinct().Order().ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The shipped calendars (embedded resource), taken from the source documents.</summary>
    public static MeetingCalendars LoadReference() => Reference.Value;

    public IEnumerable<string> Bodies => meetingsByBody.Keys;

    /// <summary>A body's meetings, earliest first; empty for a body without a calendar.</summary>
    public IReadOnlyList<LocalDateTime> MeetingsOf(string bodyId) => meetingsByBody.GetValueOrDefault(bodyId) ?? [];

    /// <summary>The body's first meeting strictly after <paramref name="after"/>, or null when its calendar has none.</summary>
    public LocalDateTime? NextMeeting(string bodyId, LocalDateTime after)
    {
        foreach (var meeting in MeetingsOf(bodyId))
        {
            if (meeting > after)
            {
                return meeting;
            }
        }
        return null;
    }

    /// <summary>
    /// These calendars with the meetings of <paramref name="stream"/> added (an operator's file in the same format as
    /// the shipped one, e.g. next year's KKR meetings). Throws <see cref="InvalidDataException"/> naming every problem.
    /// </summary>
    public MeetingCalendars With(Stream stream, string source)
    {
        MeetingCalendars added;
        try
        {
            added = Load(stream);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{source}: {exception.Message}", exception);
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidDataException($"{source}: {exception.Message}", exception);
        }
        var merged = meetingsByBody.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        foreach (var body in added.Bodies)
        {
            merged[body] = [.. MeetingsOf(body), .. added.MeetingsOf(body)];
        }
        return new MeetingCalendars(merged);
    }

    private static MeetingCalendars LoadReferenceFromResource()
    {
        using var stream = typeof(MeetingCalendars).Assembly.GetManifestResourceStream(ReferenceResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ReferenceResourceName}' is missing.");
        return Load(stream);
    }

    private static MeetingCalendars Load(Stream stream)
    {
        var data = JsonSerializer.Deserialize<ReferenceData>(stream, Json) ?? throw new InvalidDataException("The meeting calendars are empty.");
        var problems = new List<string>();
        var calendars = new Dictionary<string, IReadOnlyList<LocalDateTime>>(StringComparer.Ordinal);
        foreach (var calendar in data.Calendars)
        {
            var meetings = new List<LocalDateTime>();
            foreach (var meeting in calendar.Meetings)
            {
                var date = LocalDatePattern.Iso.Parse(meeting.Date);
                var time = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(meeting.At);
                if (!date.Success || !time.Success)
                {
                    problems.Add($"{calendar.Body}: '{meeting.Date} {meeting.At}' is not a date (yyyy-MM-dd) and a time (HH:mm)");
                    continue;
                }
                meetings.Add(date.Value + time.Value);
            }
            if (!calendars.TryAdd(calendar.Body, meetings))
            {
                problems.Add($"{calendar.Body} has two calendars");
            }
        }
        return problems.Count == 0 ? new MeetingCalendars(calendars) : throw new InvalidDataException(string.Join("; ", problems));
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private sealed record ReferenceData(IReadOnlyList<ReferenceCalendar> Calendars, [property: JsonPropertyName("$comment")] string? Comment = null);

    private sealed record ReferenceCalendar(string Body, IReadOnlyList<ReferenceMeeting> Meetings);

    private sealed record ReferenceMeeting(string Date, string At, string? Source = null);
}
