using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Folios.Analyzers.Analysis;

/// <summary>
/// A file's text as one string, for the text scans that decide where the rules look (<see cref="Relevance"/>,
/// FOLIO010's search for segment views). Kept per syntax tree, so every compilation that shares the tree (the IDE
/// makes one per edit, and unchanged files keep their trees) shares the string too.
/// </summary>
internal static class SourceTexts
{
    private static readonly ConditionalWeakTable<SyntaxTree, string> Texts = new();

    public static string Of(SyntaxTree tree) => Texts.GetValue(tree, t => t.GetText().ToString());

    /// <summary>Whether the character can be part of a C# identifier or number as the scans read them; ASCII answered without a table lookup.</summary>
    public static bool IsWordCharacter(char c) =>
        c < 128 ? c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' : char.IsLetterOrDigit(c);
}
