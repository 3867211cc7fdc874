using System.Text;
using Folios.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Folios.Analyzers.Tests;

/// <summary>
/// The text scan behind every rule's first question (<see cref="Relevance"/>): each of the runtime's names, each
/// offset helper, each wrapper the compilation declares and each segment view is found where it stands as a whole
/// word, and a word that only contains one is not. The scan passes most words over on a filter of lengths and end
/// characters before it compares; a name the filter lost would silently switch the rules off wherever the code uses it.
/// </summary>
public class RelevanceTests
{
    /// <summary>The shapes of a word around a name: whole, and three longer words that hold it (found only where that word is a name too).</summary>
    private static readonly (string Shape, string Format)[] Shapes = [("Whole", "{0}"), ("Suffixed", "{0}s"), ("Prefixed", "_{0}"), ("Accented", "{0}é")];

    [Fact]
    public void Every_name_of_the_runtime_is_found_as_a_whole_word_only()
    {
        var names = FoliosTypes.Of(Repository.Compile("").Compilation)!.EntryPoints.ApiWords;
        Assert.Contains("ExtentBuffer", names);
        Assert.Contains("Map", names);
        AssertFoundAsWholeWordsOnly(names.ToList(), "", "", static (places, block) => places.Holds(FoliosEntryPoints.Api, block.Span));
    }

    /// <summary>FOLIO008's question: an offset helper next to page geometry, in a type that names Folios.</summary>
    [Fact]
    public void Every_offset_helper_is_found_as_a_whole_word_only()
    {
        var runtime = FoliosTypes.Of(Repository.Compile("").Compilation)!.EntryPoints;
        var helpers = runtime.OffsetHelperWords.Where(helper => !runtime.ApiWords.Contains(helper)).ToList();
        Assert.Contains("ReadByte", helpers);
        AssertFoundAsWholeWordsOnly(helpers, "    Folios.ExtentBuffer _buffer;\n", "(4096)",
            static (places, block) => places.Holds(FoliosEntryPoints.OffsetHelpers, block.Span));
    }

    /// <summary>A wrapper's name may be of any length and case; calls to it make a member name Folios.</summary>
    [Theory]
    [InlineData("mapEveryPageOfTheBufferForReading")]
    [InlineData("M")]
    [InlineData("Take_With_Flags_2")]
    public void A_wrapper_of_the_compilation_is_found_as_a_whole_word_only(string wrapper) =>
        AssertFoundAsWholeWordsOnly(
            [wrapper],
            $"    static Folios.Folio {wrapper}(Folios.PageAllocator allocator, Folios.AllocFlags flags) => allocator.Allocate(0, flags);\n",
            "()",
            static (places, block) => places.Holds(FoliosEntryPoints.Api, block.Span));

    /// <summary>One member per word and shape, each asked the question: only a whole word of the list may answer yes.</summary>
    private static void AssertFoundAsWholeWordsOnly(List<string> words, string members, string call, Func<FilePlaces, SyntaxNode, bool> question)
    {
        var source = new StringBuilder("class Words\n{\n").Append(members);
        for (int i = 0; i < words.Count; i++)
        {
            foreach (var (shape, format) in Shapes)
                source.AppendLine($"    object {shape}{i}(dynamic x) => x.{string.Format(format, words[i])}{call};");
        }
        var (tree, compilation, _) = Repository.Compile(source.Append('}').ToString());
        Repository.DeclareVocabularies();
        var places = CompilationFacts.Of(compilation).Relevance.Of(tree);
        var methods = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().ToDictionary(m => m.Identifier.Text);
        for (int i = 0; i < words.Count; i++)
        {
            foreach (var (shape, format) in Shapes)
            {
                string word = string.Format(format, words[i]);
                Assert.True(question(places, methods[shape + i]) == words.Contains(word), $"{word}: expected found={words.Contains(word)}");
            }
        }
    }
}
