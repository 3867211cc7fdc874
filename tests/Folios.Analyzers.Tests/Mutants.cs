using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Folios.Analyzers.Tests;

/// <summary>Breaks C# the ways code looks while it is typed or merged badly, one seeded mutation at a time.</summary>
internal static class Mutants
{
    private static readonly string[] Strays = ["await ", "?", "!", "ref ", "out ", "=> ", ";", "(", ")", "{", "}", "[", "..", "^", "new ", "using "];

    public static string Mutate(string source, Random random)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetRoot();
        var tokens = root.DescendantTokens().ToList();
        if (tokens.Count < 2)
            return source;
        var token = tokens[random.Next(tokens.Count)];
        switch (random.Next(6))
        {
            case 0: // delete a run of 1-8 tokens
                int last = Math.Min(tokens.Count - 1, tokens.IndexOf(token) + random.Next(8));
                return source.Remove(token.SpanStart, tokens[last].Span.End - token.SpanStart);
            case 1: // truncate
                return source[..token.SpanStart];
            case 2: // swap two statements of one block
            case 3: // duplicate a statement
                var statements = root.DescendantNodes().OfType<StatementSyntax>().Where(s => s.Parent is BlockSyntax).ToList();
                if (statements.Count < 2)
                    return source.Remove(token.SpanStart, token.Span.Length);
                var first = statements[random.Next(statements.Count)];
                if (random.Next(2) == 0)
                    return source.Insert(first.Span.End, " " + first.ToString());
                var siblings = ((BlockSyntax)first.Parent!).Statements;
                var second = siblings[random.Next(siblings.Count)];
                if (first == second)
                    return source.Insert(first.Span.End, " " + first.ToString());
                var (early, late) = first.SpanStart < second.SpanStart ? (first, second) : (second, first);
                return source[..early.SpanStart] + late + source[early.Span.End..late.SpanStart] + early + source[late.Span.End..];
            case 4: // unbalance braces
                var braces = tokens.Where(t => t.IsKind(SyntaxKind.OpenBraceToken) || t.IsKind(SyntaxKind.CloseBraceToken)).ToList();
                if (braces.Count == 0)
                    return source + "{";
                var brace = braces[random.Next(braces.Count)];
                return random.Next(2) == 0 ? source.Remove(brace.SpanStart, 1) : source.Insert(brace.SpanStart, brace.Text);
            default: // a stray token
                return source.Insert(token.SpanStart, Strays[random.Next(Strays.Length)]);
        }
    }
}
