using System.Globalization;
using System.Text;

namespace Workflows.Definitions.Expressions;

/// <summary>A recursive-descent parser for <see cref="Expression"/>; errors name the character position (1-based).</summary>
internal sealed class ExpressionParser(string source)
{
    private const int MaxDepth = 64;
    private int position;
    private int depth;

    public List<(string Root, string Name)> References { get; } = [];

    public Expression.Node ParseAll()
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            throw new ExpressionException("The expression is empty.");
        }
        var node = ParseOr();
        SkipWhitespace();
        if (position < source.Length)
        {
            throw Error($"unexpected '{source[position]}'");
        }
        return node;
    }

    private Expression.Node ParseOr()
    {
        var left = ParseAnd();
        while (Accept("||") || AcceptWord("or"))
        {
            left = new Expression.Binary("||", left, ParseAnd());
        }
        return left;
    }

    private Expression.Node ParseAnd()
    {
        var left = ParseNot();
        while (Accept("&&") || AcceptWord("and"))
        {
            left = new Expression.Binary("&&", left, ParseNot());
        }
        return left;
    }

    private Expression.Node ParseNot()
    {
        if (Peek("!") && !Peek("!="))
        {
            position++;
            return Nested(() => new Expression.Unary("!", ParseNot()));
        }
        if (AcceptWord("not"))
        {
            return Nested(() => new Expression.Unary("!", ParseNot()));
        }
        return ParseCompare();
    }

    private Expression.Node ParseCompare()
    {
        var left = ParseSum();
        foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
        {
            if (Accept(op))
            {
                return new Expression.Binary(op, left, ParseSum());
            }
        }
        if (Peek("="))
        {
            throw Error("'=' is not an operator; compare with '=='");
        }
        return left;
    }

    private Expression.Node ParseSum()
    {
        var left = ParseProduct();
        while (true)
        {
            if (Accept("+"))
            {
                left = new Expression.Binary("+", left, ParseProduct());
            }
            else if (Accept("-"))
            {
                left = new Expression.Binary("-", left, ParseProduct());
            }
            else
            {
                return left;
            }
        }
    }

    private Expression.Node ParseProduct()
    {
        var left = ParseUnary();
        while (true)
        {
            string? op = Accept("*") ? "*" : Accept("/") ? "/" : Accept("%") ? "%" : null;
            if (op is null)
            {
                return left;
            }
            left = new Expression.Binary(op, left, ParseUnary());
        }
    }

    private Expression.Node ParseUnary() =>
        Accept("-") ? Nested(() => new Expression.Unary("-", ParseUnary())) : ParsePrimary();

    private Expression.Node ParsePrimary()
    {
        SkipWhitespace();
        if (position >= source.Length)
        {
            throw Error("the expression ends too early");
        }

        var c = source[position];
        if (c == '(')
        {
            position++;
            var inner = Nested(ParseOr);
            Expect(")");
            return inner;
        }
        if (c is '\'' or '"')
        {
            return new Expression.Literal(ReadString(c));
        }
        if (char.IsAsciiDigit(c))
        {
            return new Expression.Literal(ReadNumber());
        }
        if (char.IsAsciiLetter(c) || c == '_')
        {
            var start = position;
            var word = ReadIdentifier();
            switch (word)
            {
                case "true": return new Expression.Literal(true);
                case "false": return new Expression.Literal(false);
                case "null": return new Expression.Literal(null);
                case "input" or "variables": return ReadPath(word);
            }
            SkipWhitespace();
            if (Peek("("))
            {
                return ReadCall(word, start);
            }
            position = start;
            throw Error($"unknown name '{word}'; values are read as input.name or variables.name");
        }
        throw Error($"unexpected '{c}'");
    }

    private Expression.Call ReadCall(string name, int start)
    {
        if (!Expression.Call.Arity.TryGetValue(name, out var arity))
        {
            position = start;
            throw Error($"unknown function '{name}' (known: {string.Join(", ", Expression.Call.Arity.Keys)})");
        }
        Expect("(");
        var arguments = new List<Expression.Node>();
        if (!Accept(")"))
        {
            do
            {
                arguments.Add(Nested(ParseOr));
            }
            while (Accept(","));
            Expect(")");
        }
        if (arguments.Count != arity)
        {
            throw Error($"{name}() takes {arity} argument(s), not {arguments.Count}");
        }
        return new Expression.Call(name, arguments);
    }

    private Expression.PathNode ReadPath(string root)
    {
        var segments = new List<object>();
        while (position < source.Length)
        {
            if (source[position] == '.')
            {
                position++;
                if (position >= source.Length || !(char.IsAsciiLetter(source[position]) || source[position] == '_'))
                {
                    throw Error("a name must follow '.'");
                }
                segments.Add(ReadIdentifier());
            }
            else if (source[position] == '[')
            {
                position++;
                SkipWhitespace();
                if (position < source.Length && source[position] is '\'' or '"')
                {
                    segments.Add(ReadString(source[position]));
                }
                else if (position < source.Length && char.IsAsciiDigit(source[position]))
                {
                    segments.Add((int)ReadNumber());
                }
                else
                {
                    throw Error("'[' must hold a number or a quoted name");
                }
                Expect("]");
            }
            else
            {
                break;
            }
        }
        if (segments.FirstOrDefault() is string name)
        {
            References.Add((root, name));
        }
        return new Expression.PathNode(root, segments);
    }

    private string ReadIdentifier()
    {
        var start = position;
        while (position < source.Length && (char.IsAsciiLetterOrDigit(source[position]) || source[position] == '_'))
        {
            position++;
        }
        return source[start..position];
    }

    private decimal ReadNumber()
    {
        var start = position;
        while (position < source.Length && (char.IsAsciiDigit(source[position]) || source[position] == '.'))
        {
            position++;
        }
        return decimal.TryParse(source[start..position], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error($"'{source[start..position]}' is not a number", start);
    }

    private string ReadString(char quote)
    {
        var start = position;
        position++;
        var text = new StringBuilder();
        while (position < source.Length && source[position] != quote)
        {
            if (source[position] == '\\' && position + 1 < source.Length)
            {
                position++;
            }
            text.Append(source[position]);
            position++;
        }
        if (position >= source.Length)
        {
            throw Error("the text is not closed", start);
        }
        position++;
        return text.ToString();
    }

    private T Nested<T>(Func<T> parse)
    {
        // Deeply nested input must give an error, never a stack overflow.
        if (++depth > MaxDepth)
        {
            throw Error("the expression is nested too deeply");
        }
        try
        {
            return parse();
        }
        finally
        {
            depth--;
        }
    }

    private void SkipWhitespace()
    {
        while (position < source.Length && char.IsWhiteSpace(source[position]))
        {
            position++;
        }
    }

    private bool Peek(string token)
    {
        SkipWhitespace();
        return string.CompareOrdinal(source, position, token, 0, token.Length) == 0;
    }

    private bool Accept(string token)
    {
        if (!Peek(token))
        {
            return false;
        }
        position += token.Length;
        return true;
    }

    private bool AcceptWord(string word)
    {
        if (!Peek(word))
        {
            return false;
        }
        var end = position + word.Length;
        if (end < source.Length && (char.IsAsciiLetterOrDigit(source[end]) || source[end] == '_'))
        {
            return false;
        }
        position = end;
        return true;
    }

    private void Expect(string token)
    {
        if (!Accept(token))
        {
            throw Error($"expected '{token}'");
        }
    }

    private ExpressionException Error(string message, int? at = null) =>
        new($"{char.ToUpperInvariant(message[0])}{message[1..]} at character {(at ?? position) + 1} of '{source}'.");
}
