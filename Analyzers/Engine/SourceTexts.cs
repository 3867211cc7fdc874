using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Folios.Analyzers.Engine;

/// <summary>
/// A file's text as one string, for the text scans that decide where the rules look (<see cref="Relevance"/>,
/// FOLIO010's search for segment views). Kept per syntax tree, so every compilation that shares the tree (the IDE
/// makes one per edit, and unchanged files keep their trees) shares the string too.
/// </summary>
internal static class SourceTexts
{
    private static readonly ConditionalWeakTable<SyntaxTree, string> Texts = new();

    public static string Of(SyntaxTree tree) => Texts.GetValue(tree, t => t.GetText().ToString());

    /// <summary>
    /// ASCII letters, digits and '_', by code: one load instead of the comparisons a range test compiles to, whose
    /// branches the processor mispredicts at every word boundary (the file scan ran 1.6-2.7x faster on the cost script's
    /// corpora and on the sources of npgsql, dotNext and grpc-dotnet).
    /// </summary>
    private static readonly bool[] AsciiWordCharacters = MakeAsciiWordCharacters();

    /// <summary>Whether the character can be part of a C# identifier or number as the scans read them; Unicode tables only past ASCII.</summary>
    public static bool IsWordCharacter(char c) => c < 128 ? AsciiWordCharacters[c] : char.IsLetterOrDigit(c);

    private static bool[] MakeAsciiWordCharacters()
    {
        var table = new bool[128];
        for (char c = '\0'; c < 128; c++)
            table[c] = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_';
        return table;
    }
}
