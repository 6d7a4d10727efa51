using System.Globalization;
using System.Text.Json.Nodes;

namespace Workflows.Definitions.Expressions;

/// <summary>
/// A parsed expression of the small, safe expression language used by <c>If</c>, <c>Switch</c>,
/// <c>SetVariable</c> and any property written as <c>{ "expression": "…" }</c>.
/// </summary>
/// <remarks>
/// The language reads values and computes with them; it cannot call into .NET, loop or assign, so a
/// definition can never run arbitrary code (Elsa's JavaScript and C# expressions can). Grammar:
/// <code>
/// or      := and (("||" | "or") and)*
/// and     := not (("&amp;&amp;" | "and") not)*
/// not     := ("!" | "not") not | compare
/// compare := sum (("==" | "!=" | "&lt;" | "&lt;=" | "&gt;" | "&gt;=") sum)?
/// sum     := product (("+" | "-") product)*
/// product := unary (("*" | "/" | "%") unary)*
/// unary   := "-" unary | primary
/// primary := number | 'text' | "text" | true | false | null | path | function "(" args ")" | "(" or ")"
/// path    := ("input" | "variables") ("." name | "[" number "]" | "['" name "']")*
/// </code>
/// Functions: <c>length(x)</c>, <c>contains(listOrText, value)</c>, <c>isEmpty(x)</c>, <c>lower(text)</c>, <c>upper(text)</c>.
/// </remarks>
public sealed class Expression
{
    private readonly Node root;

    private Expression(string source, Node root)
    {
        Source = source;
        this.root = root;
    }

    /// <summary>The expression as written.</summary>
    public string Source { get; }

    /// <summary>The inputs and variables the expression reads, as (<c>input</c>|<c>variables</c>, name) pairs.</summary>
    public IReadOnlyList<(string Root, string Name)> References { get; private init; } = [];

    /// <summary>Parses <paramref name="source"/>; on failure <paramref name="error"/> says what and where (character position).</summary>
    public static bool TryParse(string source, out Expression? expression, out string? error)
    {
        try
        {
            var parser = new ExpressionParser(source);
            expression = new Expression(source, parser.ParseAll()) { References = parser.References };
            error = null;
            return true;
        }
        catch (ExpressionException exception)
        {
            expression = null;
            error = exception.Message;
            return false;
        }
    }

    /// <summary>Parses an expression known to be valid (validated definitions); throws <see cref="ExpressionException"/> otherwise.</summary>
    public static Expression Parse(string source) =>
        TryParse(source, out var expression, out var error) ? expression! : throw new ExpressionException(error!);

    /// <summary>
    /// Evaluates to a JSON value (null, boolean, number, string, array or object).
    /// Throws <see cref="ExpressionException"/> for a type error, e.g. <c>'a' &lt; 3</c>.
    /// </summary>
    public JsonNode? Evaluate(ExpressionScope scope) => ExpressionValue.ToJson(root.Evaluate(scope));

    /// <summary>Evaluates a condition; anything but a boolean is an error, so a typo never reads as <c>false</c>.</summary>
    public bool EvaluateCondition(ExpressionScope scope) =>
        root.Evaluate(scope) is bool value
            ? value
            : throw new ExpressionException($"The condition '{Source}' did not give true or false.");

    public override string ToString() => Source;

    internal abstract class Node
    {
        public abstract object? Evaluate(ExpressionScope scope);
    }

    internal sealed class Literal(object? value) : Node
    {
        public override object? Evaluate(ExpressionScope scope) => value;
    }

    internal sealed class PathNode(string root, IReadOnlyList<object> segments) : Node
    {
        public override object? Evaluate(ExpressionScope scope)
        {
            JsonNode? current = root == "input" ? scope.Input : scope.Variables;
            foreach (var segment in segments)
            {
                current = (segment, current) switch
                {
                    (string name, JsonObject obj) => obj[name],
                    (int index, JsonArray array) when index >= 0 && index < array.Count => array[index],
                    _ => null,
                };
                if (current is null)
                {
                    return null;
                }
            }
            return ExpressionValue.FromJson(current);
        }
    }

    internal sealed class Unary(string op, Node operand) : Node
    {
        public override object? Evaluate(ExpressionScope scope)
        {
            var value = operand.Evaluate(scope);
            return op switch
            {
                "!" => value is bool b ? !b : throw new ExpressionException($"'!' needs true or false, not {ExpressionValue.Describe(value)}."),
                "-" => value is decimal d ? -d : throw new ExpressionException($"'-' needs a number, not {ExpressionValue.Describe(value)}."),
                _ => throw new ExpressionException($"Unknown operator '{op}'."),
            };
        }
    }

    internal sealed class Binary(string op, Node left, Node right) : Node
    {
        public override object? Evaluate(ExpressionScope scope)
        {
            // && and || short-circuit so "variables.x != null && variables.x > 3" is safe.
            if (op is "&&" or "||")
            {
                var l = left.Evaluate(scope) as bool? ?? throw new ExpressionException($"'{op}' needs true or false on its left.");
                if (op == "&&" ? !l : l)
                {
                    return l;
                }
                return right.Evaluate(scope) as bool? ?? throw new ExpressionException($"'{op}' needs true or false on its right.");
            }

            var a = left.Evaluate(scope);
            var b = right.Evaluate(scope);
            return op switch
            {
                "==" => ExpressionValue.AreEqual(a, b),
                "!=" => !ExpressionValue.AreEqual(a, b),
                "<" => ExpressionValue.Compare(a, b, op) < 0,
                "<=" => ExpressionValue.Compare(a, b, op) <= 0,
                ">" => ExpressionValue.Compare(a, b, op) > 0,
                ">=" => ExpressionValue.Compare(a, b, op) >= 0,
                "+" when a is string || b is string => ExpressionValue.ToText(a) + ExpressionValue.ToText(b),
                "+" => Numbers(a, b, op, (x, y) => x + y),
                "-" => Numbers(a, b, op, (x, y) => x - y),
                "*" => Numbers(a, b, op, (x, y) => x * y),
                "/" => Numbers(a, b, op, (x, y) => y == 0 ? throw new ExpressionException("Division by zero.") : x / y),
                "%" => Numbers(a, b, op, (x, y) => y == 0 ? throw new ExpressionException("Division by zero.") : x % y),
                _ => throw new ExpressionException($"Unknown operator '{op}'."),
            };
        }

        private static decimal Numbers(object? a, object? b, string op, Func<decimal, decimal, decimal> apply) =>
            a is decimal x && b is decimal y
                ? apply(x, y)
                : throw new ExpressionException($"'{op}' needs two numbers, not {ExpressionValue.Describe(a)} and {ExpressionValue.Describe(b)}.");
    }

    internal sealed class Call(string name, IReadOnlyList<Node> arguments) : Node
    {
        public static readonly IReadOnlyDictionary<string, int> Arity = new Dictionary<string, int>
        {
            ["length"] = 1,
            ["contains"] = 2,
            ["isEmpty"] = 1,
            ["lower"] = 1,
            ["upper"] = 1,
        };

        public override object? Evaluate(ExpressionScope scope)
        {
            var values = arguments.Select(a => a.Evaluate(scope)).ToArray();
            return name switch
            {
                "length" => values[0] switch
                {
                    string s => (decimal)s.Length,
                    JsonArray array => array.Count,
                    JsonObject obj => obj.Count,
                    null => 0m,
                    var other => throw new ExpressionException($"length() needs a text or a list, not {ExpressionValue.Describe(other)}."),
                },
                "contains" => values[0] switch
                {
                    string s => s.Contains(ExpressionValue.ToText(values[1]), StringComparison.OrdinalIgnoreCase),
                    JsonArray array => array.Any(item => ExpressionValue.AreEqual(ExpressionValue.FromJson(item), values[1])),
                    null => false,
                    var other => throw new ExpressionException($"contains() needs a text or a list, not {ExpressionValue.Describe(other)}."),
                },
                "isEmpty" => values[0] switch
                {
                    null => true,
                    string s => s.Length == 0,
                    JsonArray array => array.Count == 0,
                    JsonObject obj => obj.Count == 0,
                    _ => false,
                },
                "lower" => ExpressionValue.ToText(values[0]).ToLower(CultureInfo.GetCultureInfo("da-DK")),
                "upper" => ExpressionValue.ToText(values[0]).ToUpper(CultureInfo.GetCultureInfo("da-DK")),
                _ => throw new ExpressionException($"Unknown function '{name}'."),
            };
        }
    }
}

/// <summary>What an expression may read: the instance's input and its variables. Nothing else.</summary>
public sealed record ExpressionScope(JsonObject Input, JsonObject Variables);

/// <summary>A syntax or evaluation error in an expression; the message is for the person who wrote it.</summary>
public sealed class ExpressionException(string message) : Exception(message);
