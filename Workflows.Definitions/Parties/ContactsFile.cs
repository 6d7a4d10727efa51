using System.Text;
using System.Text.Json;
using CsvHelper;

namespace Workflows.Definitions.Parties;

public enum ContactsFileFormat
{
    Json,
    Csv,
}

/// <summary>One address for one party, with where it was written so an error can point at it.</summary>
/// <param name="PartyId">The party id as written.</param>
/// <param name="Address">The address as written (trimmed).</param>
/// <param name="Line">1-based line in the file.</param>
/// <param name="Field">The JSON path (<c>$.aarhus[1]</c>) or CSV column (<c>address</c>).</param>
public sealed record ContactEntry(string PartyId, string Address, int Line, string Field);

/// <summary>A problem in an operator's contacts file, located by line and field.</summary>
/// <param name="Source">The file name (or another label for the input).</param>
/// <param name="Line">1-based line; 0 when the problem concerns the whole file.</param>
/// <param name="Field">The JSON path or CSV column the problem is in.</param>
/// <param name="Message">What is wrong, naming the offending value.</param>
public sealed record ContactsError(string Source, int Line, string Field, string Message)
{
    public override string ToString() => Line > 0 ? $"{Source}:{Line} {Field}: {Message}" : $"{Source} {Field}: {Message}";
}

/// <summary>An operator's list of real contact addresses, parsed but not yet checked against a
/// directory. Parsing collects every error instead of stopping at the first, so one run of the
/// host tells the operator everything to fix.</summary>
/// <remarks>
/// JSON: an object mapping party id to an address or an array of addresses:
/// <c>{ "aarhus": ["hoering@aarhus.dk"], "kl": "kl@kl.dk" }</c>.
/// CSV: a header row naming the columns <c>partyId</c> and <c>address</c> (other columns, such as a
/// name for the operator's own reading, are ignored), separated by <c>;</c> or <c>,</c> — Danish
/// spreadsheets export semicolons. One address per row; repeat the id for more addresses. Fields may
/// be double-quoted. Blank lines and lines starting with <c>#</c> are skipped.
/// </remarks>
public sealed record ContactsFile(string Source, IReadOnlyList<ContactEntry> Entries, IReadOnlyList<ContactsError> Errors)
{
    /// <summary>Reads a file, choosing the format by its extension (<c>.json</c> or <c>.csv</c>).
    /// A missing file or an unknown extension is reported as an error, not thrown.</summary>
    public static ContactsFile Load(string path)
    {
        var source = Path.GetFileName(path);
        var format = Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".JSON" => ContactsFileFormat.Json,
            ".CSV" => ContactsFileFormat.Csv,
            _ => (ContactsFileFormat?)null,
        };
        if (format is null)
        {
            return Failed(source, "the file name must end in .json or .csv");
        }

        if (!File.Exists(path))
        {
            return Failed(source, $"the file '{path}' does not exist");
        }

        return Parse(File.ReadAllText(path, Encoding.UTF8), format.Value, source);
    }

    public static ContactsFile Parse(string content, ContactsFileFormat format, string source = "contacts") =>
        format == ContactsFileFormat.Json ? ParseJson(content, source) : ParseCsv(content, source);

    private static ContactsFile Failed(string source, string message) =>
        new(source, [], [new ContactsError(source, 0, "file", message)]);

    private static ContactsFile ParseJson(string content, string source)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        var lineStarts = LineStarts(bytes);
        int LineOf(long offset)
        {
            var index = lineStarts.BinarySearch((int)offset);
            return (index >= 0 ? index : ~index - 1) + 1;
        }

        var entries = new List<ContactEntry>();
        var errors = new List<ContactsError>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });

        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                errors.Add(new ContactsError(source, 1, "$", "expected an object mapping party id to addresses"));
                return new ContactsFile(source, entries, errors);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var partyId = reader.GetString()!;
                var path = $"$.{partyId}";
                reader.Read();
                var line = LineOf(reader.TokenStartIndex);
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        AddAddress(partyId, reader.GetString()!, line, path);
                        break;
                    case JsonTokenType.StartArray:
                        var index = 0;
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            var itemPath = $"{path}[{index}]";
                            if (reader.TokenType == JsonTokenType.String)
                            {
                                AddAddress(partyId, reader.GetString()!, LineOf(reader.TokenStartIndex), itemPath);
                            }
                            else
                            {
                                errors.Add(new ContactsError(source, LineOf(reader.TokenStartIndex), itemPath, "expected an address string"));
                                reader.Skip();
                            }

                            index++;
                        }

                        if (index == 0)
                        {
                            errors.Add(new ContactsError(source, line, path, $"party '{partyId}' has no addresses; every party needs at least one"));
                        }

                        break;
                    default:
                        errors.Add(new ContactsError(source, line, path, "expected an address or an array of addresses"));
                        reader.Skip();
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            // Utf8JsonReader counts lines from 0.
            errors.Add(new ContactsError(source, (int)(ex.LineNumber ?? 0) + 1, "$", $"not valid JSON: {ex.Message}"));
        }

        return new ContactsFile(source, entries, errors);

        void AddAddress(string partyId, string raw, int line, string field)
        {
            var address = raw.Trim();
            if (ContactAddress.IsValid(address))
            {
                entries.Add(new ContactEntry(partyId, address, line, field));
            }
            else
            {
                errors.Add(new ContactsError(source, line, field, $"'{raw}' is not a valid e-mail address"));
            }
        }
    }

    private static List<int> LineStarts(byte[] bytes)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static ContactsFile ParseCsv(string content, string source)
    {
        var entries = new List<ContactEntry>();
        var errors = new List<ContactsError>();
        // Danish spreadsheets export semicolons; the header row says which separator the file uses.
        var header = content.TrimStart('\uFEFF').Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#'));
        if (header is null)
        {
            errors.Add(new ContactsError(source, 0, "header", "the file is empty; expected a header row 'partyId;address'"));
            return new ContactsFile(source, entries, errors);
        }
        var options = new CsvReaderOptions
        {
            Separator = header.Contains(';', StringComparison.Ordinal) ? ';' : ',',
            HasHeader = true,
            CommentPrefix = '#',
            SkipEmptyLines = true,
            TrimWhitespace = true,
            TrimInsideQuotes = true,
            TrackLineNumbers = true,
            // A quote opened and never closed would otherwise swallow the rest of the file into one field.
            AllowLineBreaksInQuotes = false,
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = record => errors.Add(new ContactsError(source, (int)record.LineNumber, "line", "unterminated quoted field")),
            FieldCountMismatch = CsvFieldCountHandling.Allow,
        };
        using var reader = CsvReader.FromText(content, options);
        reader.ReadHeader();
        var idColumn = IndexOf(reader.Headers, "partyId");
        var addressColumn = IndexOf(reader.Headers, "address");
        if (idColumn < 0 || addressColumn < 0)
        {
            errors.Add(new ContactsError(source, (int)reader.LineNumber, "header", $"the header must name the columns 'partyId' and 'address' (found: {string.Join(", ", reader.Headers)})"));
            return new ContactsFile(source, entries, errors);
        }
        while (reader.Read())
        {
            var line = (int)reader.LineNumber;
            var partyId = Field(reader, idColumn);
            var address = Field(reader, addressColumn);
            if (partyId.Length == 0)
            {
                errors.Add(new ContactsError(source, line, "partyId", "missing party id"));
            }
            if (!ContactAddress.IsValid(address))
            {
                errors.Add(new ContactsError(source, line, "address", address.Length == 0 ? "missing address" : $"'{address}' is not a valid e-mail address"));
            }
            else if (partyId.Length > 0)
            {
                entries.Add(new ContactEntry(partyId, address, line, "address"));
            }
        }
        return new ContactsFile(source, entries, errors);

        static int IndexOf(IReadOnlyList<string> header, string name)
        {
            for (var c = 0; c < header.Count; c++)
            {
                if (string.Equals(header[c], name, StringComparison.OrdinalIgnoreCase))
                {
                    return c;
                }
            }
            return -1;
        }

        static string Field(CsvReader reader, int column) => column < reader.FieldCount ? reader.GetString(column) : "";
    }
}
