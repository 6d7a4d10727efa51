using System.Text;
using System.Text.RegularExpressions;
using Workflows.Definitions.Expressions;

namespace Workflows.Definitions.Interop.Elsa;

/// <summary>
/// Translates between Elsa's expressions (JavaScript, C#, Liquid) and ProcesFlow's safe expression language and
/// Liquid, for the part both can say: reading variables and inputs, comparing, computing, combining with
/// and/or/not. Nothing is ever executed: code is only tokenized, and anything outside that subset (a call, an
/// assignment, a loop, <c>??</c>) is refused with a reason, so the process owner can write it by hand.
/// </summary>
public static partial class ElsaExpressions
{
    /// <summary>The functions of ProcesFlow's expression language; kept as they are in both directions.</summary>
    private static readonly HashSet<string> OwnFunctions = ["length", "contains", "isEmpty", "lower", "upper"];

    private static readonly HashSet<string> Operators =
        ["==", "!=", "<=", ">=", "<", ">", "&&", "||", "!", "+", "-", "*", "/", "%", "(", ")", ",", "[", "]"];

    /// <summary>
    /// Translates an Elsa JavaScript or C# expression (e.g. <c>return getVariable("answered") &gt;= 17;</c>) to the
    /// expression language (<c>variables.answered &gt;= 17</c>).
    /// </summary>
    /// <param name="language"><c>JavaScript</c> or <c>CSharp</c>.</param>
    /// <param name="source">The Elsa expression.</param>
    /// <param name="symbols">The variables and inputs of the definition being imported.</param>
    /// <param name="expression">The translation, checked by the expression parser.</param>
    /// <param name="reason">Why it could not be translated.</param>
    public static bool TryFromCode(string language, string source, ElsaSymbols symbols, out string? expression, out string? reason)
    {
        expression = null;
        if (!Tokenizer.TryTokenize(source, out var tokens, out reason))
        {
            return false;
        }
        if (tokens.Count > 0 && tokens[0].Text == "return")
        {
            tokens.RemoveAt(0);
        }
        if (tokens.Count > 0 && tokens[^1].Text == ";")
        {
            tokens.RemoveAt(tokens.Count - 1);
        }
        if (tokens.Count == 0)
        {
            reason = "it is empty";
            return false;
        }
        var csharp = language == "CSharp";
        var output = new StringBuilder();
        var afterPath = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var space = token.SpaceBefore && output.Length > 0 ? " " : "";
            string? emitted = null;
            var isPath = false;
            switch (token.Kind)
            {
                case TokenKind.Number:
                case TokenKind.String when !csharp || token.Text[0] == '"':
                    emitted = token.Text;
                    break;
                case TokenKind.Identifier when token.Text is "true" or "false" or "null":
                    emitted = token.Text;
                    break;
                case TokenKind.Identifier when token.Text is "getVariable" or "getInput" && !csharp:
                    if (!TryCallWithName(tokens, ref i, out var named))
                    {
                        reason = $"{token.Text} must be called with a quoted name";
                        return false;
                    }
                    emitted = token.Text == "getVariable" ? symbols.Variable(named!, out reason) : symbols.Input(named!, out reason);
                    isPath = true;
                    break;
                case TokenKind.Identifier when !csharp && token.Text.StartsWith("get", StringComparison.Ordinal) && token.Text.Length > 3
                    && At(tokens, i + 1, "(") && At(tokens, i + 2, ")"):
                    // Elsa's generated getter for a variable: getMyNumber() reads the variable myNumber.
                    emitted = symbols.Variable(token.Text[3..], out _);
                    if (emitted is null)
                    {
                        reason = $"it calls {token.Text}(), and the workflow has no variable '{token.Text[3..]}' for it to read";
                        return false;
                    }
                    i += 2;
                    isPath = true;
                    break;
                case TokenKind.Identifier when token.Text is "variables" or "Variables" or "input" or "Input" && At(tokens, i + 1, "."):
                    var isVariable = token.Text is "variables" or "Variables";
                    if (csharp && At(tokens, i + 2, "Get"))
                    {
                        // Variables.Get<int>("name") or Input.Get("name")
                        var j = i + 3;
                        if (At(tokens, j, "<"))
                        {
                            while (j < tokens.Count && tokens[j].Text != ">")
                            {
                                j++;
                            }
                            j++;
                        }
                        var k = j - 1;
                        if (!TryCallWithName(tokens, ref k, out var getName))
                        {
                            reason = $"{token.Text}.Get must be called with a quoted name";
                            return false;
                        }
                        i = k;
                        emitted = isVariable ? symbols.Variable(getName!, out reason) : symbols.Input(getName!, out reason);
                    }
                    else if (i + 2 < tokens.Count && tokens[i + 2].Kind == TokenKind.Identifier && !At(tokens, i + 3, "("))
                    {
                        emitted = isVariable ? symbols.Variable(tokens[i + 2].Text, out reason) : symbols.Input(tokens[i + 2].Text, out reason);
                        i += 2;
                    }
                    else
                    {
                        reason = $"'{token.Text}.' must be followed by a name";
                        return false;
                    }
                    isPath = true;
                    break;
                case TokenKind.Identifier when OwnFunctions.Contains(token.Text) && At(tokens, i + 1, "("):
                    emitted = token.Text;
                    break;
                case TokenKind.Identifier:
                    reason = $"it uses '{token.Text}', which ProcesFlow's expression language does not have";
                    return false;
                case TokenKind.Punctuation when token.Text == "." && afterPath
                    && i + 1 < tokens.Count && tokens[i + 1].Kind == TokenKind.Identifier && !At(tokens, i + 2, "("):
                    if (tokens[i + 1].Text is "length" or "Length" or "Count")
                    {
                        reason = $"it reads .{tokens[i + 1].Text}; write length(…) instead";
                        return false;
                    }
                    emitted = "." + tokens[i + 1].Text;
                    i++;
                    isPath = true;
                    space = "";
                    break;
                case TokenKind.Punctuation when token.Text is "===" or "!==":
                    emitted = token.Text[..2];
                    break;
                case TokenKind.Punctuation when Operators.Contains(token.Text):
                    emitted = token.Text;
                    isPath = token.Text == "]" && afterPath;
                    break;
                default:
                    reason = $"it uses '{token.Text}', which ProcesFlow's expression language does not have";
                    return false;
            }
            if (emitted is null)
            {
                return false;
            }
            output.Append(space).Append(emitted);
            afterPath = isPath || (afterPath && token.Text == "[") || (afterPath && token.Kind is TokenKind.Number or TokenKind.String && At(tokens, i + 1, "]"));
        }
        var translated = output.ToString();
        if (!Expression.TryParse(translated, out _, out var error))
        {
            reason = $"its translation '{translated}' is not a valid expression: {error}";
            return false;
        }
        expression = translated;
        reason = null;
        return true;
    }

    /// <summary>ProcesFlow's expression as Elsa JavaScript: <c>input.x</c> → <c>getInput("x")</c>, <c>variables.x</c> → <c>getVariable("x")</c>, <c>and</c> → <c>&amp;&amp;</c>.</summary>
    public static string ToJavaScript(string expression)
    {
        if (!Tokenizer.TryTokenize(expression, out var tokens, out _))
        {
            return expression;
        }
        var output = new StringBuilder();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var space = token.SpaceBefore && output.Length > 0 ? " " : "";
            string emitted;
            if (token.Kind == TokenKind.Identifier && token.Text is "input" or "variables" && At(tokens, i + 1, ".")
                && i + 2 < tokens.Count && tokens[i + 2].Kind == TokenKind.Identifier)
            {
                emitted = $"{(token.Text == "input" ? "getInput" : "getVariable")}(\"{tokens[i + 2].Text}\")";
                i += 2;
            }
            else
            {
                emitted = token.Kind == TokenKind.Identifier
                    ? token.Text switch { "and" => "&&", "or" => "||", "not" => "!", _ => token.Text }
                    : token.Text;
            }
            output.Append(space).Append(emitted);
        }
        return output.ToString();
    }

    /// <summary>Whether the expression uses one of ProcesFlow's own functions, which Elsa's JavaScript lacks.</summary>
    public static IReadOnlyList<string> OwnFunctionsUsed(string expression) =>
        Tokenizer.TryTokenize(expression, out var tokens, out _)
            ? tokens.Where((t, i) => t.Kind == TokenKind.Identifier && OwnFunctions.Contains(t.Text) && At(tokens, i + 1, "(")).Select(t => t.Text).Distinct().ToList()
            : [];

    /// <summary>
    /// An Elsa Liquid text (<c>Hej {{ Variables.Name }}</c>, <c>{{ Workflow.Input.Title }}</c>) as ProcesFlow Liquid
    /// (<c>{{ variables.name }}</c>); refused when a placeholder reads anything but variables and inputs.
    /// </summary>
    /// <param name="source">The Elsa Liquid text.</param>
    /// <param name="symbols">The variables and inputs of the definition being imported.</param>
    /// <param name="text">The translation, checked by the Liquid parser.</param>
    /// <param name="reason">Why it could not be translated.</param>
    public static bool TryFromLiquid(string source, ElsaSymbols symbols, out string? text, out string? reason)
    {
        string? problem = null;
        var translated = LiquidBlock().Replace(source, block =>
        {
            var inner = ElsaRoot().Replace(block.Value, root =>
            {
                var isVariable = root.Groups["root"].Value == "Variables";
                var name = root.Groups["name"].Value;
                var mapped = isVariable ? symbols.Variable(name, out var why) : symbols.Input(name, out why);
                problem ??= why;
                return mapped ?? root.Value;
            });
            if (block.Value.StartsWith("{{", StringComparison.Ordinal))
            {
                var first = FirstWord().Match(inner[2..]);
                if (first.Success && first.Groups[1].Value is not ("input" or "variables"))
                {
                    problem ??= $"the placeholder {block.Value.Trim()} reads '{first.Groups[1].Value}', which ProcesFlow does not have";
                }
            }
            return inner;
        });
        if (problem is not null)
        {
            text = null;
            reason = problem;
            return false;
        }
        if (!LiquidText.TryParse(translated, out _, out var error))
        {
            text = null;
            reason = $"it is not a valid Liquid text here: {error}";
            return false;
        }
        text = translated;
        reason = null;
        return true;
    }

    /// <summary>ProcesFlow Liquid as Elsa Liquid: <c>{{ input.title }}</c> → <c>{{ Input.title }}</c>, <c>variables.</c> → <c>Variables.</c>.</summary>
    public static string ToElsaLiquid(string text) =>
        LiquidBlock().Replace(text, block => OwnRoot().Replace(block.Value, root => root.Value == "input." ? "Input." : "Variables."));

    /// <summary>Whether a text has Liquid placeholders or tags.</summary>
    public static bool HasLiquid(string text) => text.Contains("{{", StringComparison.Ordinal) || text.Contains("{%", StringComparison.Ordinal);

    private static bool At(List<Token> tokens, int index, string text) => index < tokens.Count && tokens[index].Text == text;

    /// <summary>At <paramref name="i"/> a name followed by <c>("x")</c>; moves <paramref name="i"/> to the closing parenthesis.</summary>
    private static bool TryCallWithName(List<Token> tokens, ref int i, out string? name)
    {
        name = null;
        if (!At(tokens, i + 1, "(") || i + 3 >= tokens.Count || tokens[i + 2].Kind != TokenKind.String || !At(tokens, i + 3, ")"))
        {
            return false;
        }
        name = tokens[i + 2].Text[1..^1];
        i += 3;
        return true;
    }

    [GeneratedRegex(@"\{\{.*?\}\}|\{%.*?%\}", RegexOptions.Singleline)]
    private static partial Regex LiquidBlock();

    [GeneratedRegex(@"\b(?:Workflow\.)?(?<root>Variables|Input)\.(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ElsaRoot();

    [GeneratedRegex(@"\b(?:input|variables)\.")]
    private static partial Regex OwnRoot();

    [GeneratedRegex(@"^\s*-?\s*([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex FirstWord();

    private enum TokenKind
    {
        Number,
        String,
        Identifier,
        Punctuation,
    }

    private sealed record Token(TokenKind Kind, string Text, bool SpaceBefore);

    private static class Tokenizer
    {
        private static readonly string[] Punctuation =
            ["===", "!==", "==", "!=", "<=", ">=", "&&", "||", "??", "=>", "++", "--", "+=", "-=", "?.", "<", ">", "!", "+", "-", "*", "/", "%", "(", ")", "[", "]", ",", ".", ";", "=", "?", ":", "{", "}", "&", "|", "`", "^", "~", "@", "#", "$", "\\"];

        public static bool TryTokenize(string source, out List<Token> tokens, out string? reason)
        {
            tokens = [];
            reason = null;
            var i = 0;
            while (i < source.Length)
            {
                var space = false;
                while (i < source.Length && char.IsWhiteSpace(source[i]))
                {
                    i++;
                    space = true;
                }
                if (i >= source.Length)
                {
                    break;
                }
                var c = source[i];
                if (c == '/' && i + 1 < source.Length && source[i + 1] is '/' or '*')
                {
                    reason = "it has a comment";
                    return false;
                }
                if (char.IsDigit(c))
                {
                    var start = i;
                    while (i < source.Length && (char.IsDigit(source[i]) || source[i] == '.'))
                    {
                        i++;
                    }
                    tokens.Add(new Token(TokenKind.Number, source[start..i], space));
                    continue;
                }
                if (c is '\'' or '"')
                {
                    var start = i++;
                    while (i < source.Length && source[i] != c)
                    {
                        if (source[i] == '\\')
                        {
                            reason = "it has an escape sequence in a text";
                            return false;
                        }
                        i++;
                    }
                    if (i >= source.Length)
                    {
                        reason = "a text is not closed";
                        return false;
                    }
                    i++;
                    tokens.Add(new Token(TokenKind.String, source[start..i], space));
                    continue;
                }
                if (char.IsLetter(c) || c == '_')
                {
                    var start = i;
                    while (i < source.Length && (char.IsLetterOrDigit(source[i]) || source[i] == '_'))
                    {
                        i++;
                    }
                    tokens.Add(new Token(TokenKind.Identifier, source[start..i], space));
                    continue;
                }
                var punctuation = Punctuation.FirstOrDefault(p => string.CompareOrdinal(source, i, p, 0, p.Length) == 0);
                if (punctuation is null)
                {
                    reason = $"it uses '{c}'";
                    return false;
                }
                tokens.Add(new Token(TokenKind.Punctuation, punctuation, space));
                i += punctuation.Length;
            }
            return true;
        }
    }
}

/// <summary>The variables and inputs of a definition, for resolving the names an Elsa expression reads (Elsa's are case-insensitive in places).</summary>
public sealed class ElsaSymbols(IEnumerable<string> variables, IEnumerable<string> inputs)
{
    private readonly List<string> variables = variables.ToList();
    private readonly List<string> inputs = inputs.ToList();

    public string? Variable(string name, out string? reason) => Resolve(variables, "variables", "variable", name, out reason);

    public string? Input(string name, out string? reason) => Resolve(inputs, "input", "input", name, out reason);

    private static string? Resolve(List<string> names, string root, string what, string name, out string? reason)
    {
        var found = names.FirstOrDefault(n => n == name) ?? names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        reason = found is null ? $"it reads the {what} '{name}', which the workflow does not declare" : null;
        return found is null ? null : $"{root}.{found}";
    }
}
