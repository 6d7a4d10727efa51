using Workflows.Definitions.Parties;

namespace Workflows.Tests.Parties;

public class ContactsFileTests
{
    private static readonly PartyDirectory Reference = PartyDirectory.LoadReference();

    [Fact]
    public void Parse_CsvWithSemicolons_ReadsRowsAndIgnoresExtraColumns()
    {
        const string csv = "partyId;name;address\r\naarhus;Aarhus Kommune;hoering@aarhus.dk\r\naarhus;Aarhus Kommune;borgmester@aarhus.dk\r\nkl;KL;kl@kl.dk\r\n";

        var file = ContactsFile.Parse(csv, ContactsFileFormat.Csv, "contacts.csv");

        Assert.Empty(file.Errors);
        Assert.Equal(
            [("aarhus", "hoering@aarhus.dk", 2), ("aarhus", "borgmester@aarhus.dk", 3), ("kl", "kl@kl.dk", 4)],
            file.Entries.Select(e => (e.PartyId, e.Address, e.Line)));
    }

    [Fact]
    public void Parse_CsvWithCommasAndQuotes_ReadsQuotedFields()
    {
        const string csv = "name,partyId,address\n\"Næstved/Slagelse sygehuse, \"\"begge\"\"\",naestved-slagelse-sygehuse,\" post@regionsjaelland.dk \"\n";

        var file = ContactsFile.Parse(csv, ContactsFileFormat.Csv);

        Assert.Empty(file.Errors);
        var entry = Assert.Single(file.Entries);
        Assert.Equal(("naestved-slagelse-sygehuse", "post@regionsjaelland.dk"), (entry.PartyId, entry.Address));
    }

    [Fact]
    public void Parse_CsvBlankAndCommentLines_AreSkippedButCounted()
    {
        const string csv = "# real addresses, 2024\npartyId;address\n\n# KL\nkl;kl@kl.dk\n";

        var entry = Assert.Single(ContactsFile.Parse(csv, ContactsFileFormat.Csv).Entries);

        Assert.Equal(5, entry.Line);
    }

    [Fact]
    public void Parse_CsvWithoutTheRequiredHeader_ReportsTheHeader()
    {
        var error = Assert.Single(ContactsFile.Parse("id;email\naarhus;a@aarhus.dk\n", ContactsFileFormat.Csv, "c.csv").Errors);

        Assert.Equal((1, "header"), (error.Line, error.Field));
        Assert.Contains("partyId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyCsv_IsAnError()
    {
        Assert.Single(ContactsFile.Parse("", ContactsFileFormat.Csv).Errors);
    }

    [Theory]
    [InlineData("hoering(at)aarhus.dk")]
    [InlineData("hoering@aarhus")]
    [InlineData("Aarhus <hoering@aarhus.dk>")]
    [InlineData("hoering@@aarhus.dk")]
    [InlineData("hoering@aarhus..dk")]
    public void Parse_CsvWithMalformedAddress_ReportsLineAndFieldAndKeepsTheRest(string address)
    {
        var csv = $"partyId;address\nkl;kl@kl.dk\naarhus;{address}\nskive;post@skive.dk\n";

        var file = ContactsFile.Parse(csv, ContactsFileFormat.Csv, "contacts.csv");

        var error = Assert.Single(file.Errors);
        Assert.Equal(("contacts.csv", 3, "address"), (error.Source, error.Line, error.Field));
        Assert.Contains(address, error.Message, StringComparison.Ordinal);
        Assert.Equal(["kl", "skive"], file.Entries.Select(e => e.PartyId));
        Assert.StartsWith("contacts.csv:3 address:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CsvWithMissingFields_ReportsEach()
    {
        var file = ContactsFile.Parse("partyId;address\n;kl@kl.dk\naarhus\n", ContactsFileFormat.Csv);

        Assert.Equal([(2, "partyId"), (3, "address")], file.Errors.Select(e => (e.Line, e.Field)));
    }

    [Fact]
    public void Parse_CsvWithUnterminatedQuote_ReportsTheLine()
    {
        var error = Assert.Single(ContactsFile.Parse("partyId;address\n\"aarhus;a@aarhus.dk\n", ContactsFileFormat.Csv).Errors);

        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Parse_JsonWithStringsAndArrays_ReadsEntriesWithLinesAndPaths()
    {
        const string json = """
            {
              // the operator may comment
              "aarhus": ["hoering@aarhus.dk", "borgmester@aarhus.dk"],
              "kl": "kl@kl.dk"
            }
            """;

        var file = ContactsFile.Parse(json, ContactsFileFormat.Json, "contacts.json");

        Assert.Empty(file.Errors);
        Assert.Equal(
            [("aarhus", "hoering@aarhus.dk", 3, "$.aarhus[0]"), ("aarhus", "borgmester@aarhus.dk", 3, "$.aarhus[1]"), ("kl", "kl@kl.dk", 4, "$.kl")],
            file.Entries.Select(e => (e.PartyId, e.Address, e.Line, e.Field)));
    }

    [Fact]
    public void Parse_JsonWithMalformedAddress_ReportsLineAndPath()
    {
        const string json = "{\n  \"aarhus\": [\n    \"hoering@aarhus.dk\",\n    \"not an address\"\n  ]\n}";

        var error = Assert.Single(ContactsFile.Parse(json, ContactsFileFormat.Json, "contacts.json").Errors);

        Assert.Equal((4, "$.aarhus[1]"), (error.Line, error.Field));
        Assert.Contains("not an address", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\n \"aarhus\": []\n}", "$.aarhus")]
    [InlineData("{\n \"aarhus\": 42\n}", "$.aarhus")]
    [InlineData("{\n \"aarhus\": [42]\n}", "$.aarhus[0]")]
    [InlineData("{\n \"aarhus\": {\"a\": \"x@y.dk\"}\n}", "$.aarhus")]
    public void Parse_JsonOfTheWrongShape_ReportsThePath(string json, string field)
    {
        var error = Assert.Single(ContactsFile.Parse(json, ContactsFileFormat.Json).Errors);

        Assert.Equal((2, field), (error.Line, error.Field));
    }

    [Fact]
    public void Parse_JsonThatIsNotAnObject_IsAnError()
    {
        Assert.Equal("$", Assert.Single(ContactsFile.Parse("[\"a@b.dk\"]", ContactsFileFormat.Json).Errors).Field);
    }

    [Fact]
    public void Parse_InvalidJson_ReportsTheLine()
    {
        var error = Assert.Single(ContactsFile.Parse("{\n \"kl\": \"kl@kl.dk\"\n \"aarhus\": \"a@aarhus.dk\"\n}", ContactsFileFormat.Json).Errors);

        Assert.Equal(3, error.Line);
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_IsAnErrorNotAnException()
    {
        var file = ContactsFile.Load(Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.csv"));

        Assert.Contains("does not exist", Assert.Single(file.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownExtension_IsAnError()
    {
        Assert.Contains(".json or .csv", Assert.Single(ContactsFile.Load("contacts.xlsx").Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithContacts_ReplacesTheListedPartiesAndKeepsTheOthers()
    {
        var file = ContactsFile.Parse("partyId;address\naarhus;hoering@aarhus.dk\naarhus;HOERING@aarhus.dk\naarhus;b@aarhus.dk\n", ContactsFileFormat.Csv);

        var overlay = Reference.WithContacts(file);

        Assert.True(overlay.Succeeded);
        Assert.Equal(["hoering@aarhus.dk", "b@aarhus.dk"], overlay.Directory.Find("aarhus")!.Contacts);
        Assert.Equal(Reference.Find("skive")!.Contacts, overlay.Directory.Find("skive")!.Contacts);
        Assert.Equal(Reference.All.Select(p => p.Id), overlay.Directory.All.Select(p => p.Id));
        Assert.Equal(Reference.Groups, overlay.Directory.Groups);
    }

    [Fact]
    public void WithContacts_LeavesTheReferenceUntouched()
    {
        Reference.WithContacts(ContactsFile.Parse("{\"aarhus\": \"x@aarhus.dk\"}", ContactsFileFormat.Json));

        Assert.True(ContactAddress.IsPlaceholder(Assert.Single(PartyDirectory.LoadReference().Find("aarhus")!.Contacts)));
    }

    [Fact]
    public void WithContacts_UnknownIdInCsv_ReportsLineFieldAndSuggestion()
    {
        var file = ContactsFile.Parse("partyId;address\naarhus;a@aarhus.dk\nkobenhavn;b@kk.dk\n", ContactsFileFormat.Csv, "contacts.csv");

        var overlay = Reference.WithContacts(file);

        Assert.False(overlay.Succeeded);
        var error = Assert.Single(overlay.Errors);
        Assert.Equal(("contacts.csv", 3), (error.Source, error.Line));
        Assert.Contains("'kobenhavn'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'koebenhavn'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithContacts_UnknownIdInJson_ReportsLineAndPath()
    {
        var file = ContactsFile.Parse("{\n \"kl\": \"kl@kl.dk\",\n \"nowhere\": [\"a@b.dk\"]\n}", ContactsFileFormat.Json, "contacts.json");

        var error = Assert.Single(Reference.WithContacts(file).Errors);

        Assert.Equal((3, "$.nowhere[0]"), (error.Line, error.Field));
    }

    [Fact]
    public void WithContacts_ParseAndDirectoryErrors_AreAllReported()
    {
        var file = ContactsFile.Parse("partyId;address\nnowhere;a@b.dk\naarhus;broken\n", ContactsFileFormat.Csv);

        Assert.Equal([2, 3], Reference.WithContacts(file).Errors.Select(e => e.Line).Order());
    }

    [Fact]
    public void WithContactsFromFile_ReadsAJsonFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"contacts-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{ \"region-midtjylland\": \"kontakt@rm.dk\" }");
        try
        {
            var overlay = Reference.WithContactsFromFile(path);

            Assert.True(overlay.Succeeded);
            Assert.Equal(["kontakt@rm.dk"], overlay.Directory.Find("region-midtjylland")!.Contacts);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
