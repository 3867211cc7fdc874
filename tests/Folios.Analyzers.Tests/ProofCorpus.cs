using Folios.Analyzers.Engine;
using Folios.Analyzers.Ownership;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Folios.Analyzers.Tests;

/// <summary>The bodies every tree-proven shape is checked against the flow on: the rule tests' snippets, the samples and a proof's own shapes.</summary>
internal static class ProofCorpus
{
    /// <summary>Each method of those sources that parses and acquires a resource of the kind.</summary>
    public static IEnumerable<(BaseMethodDeclarationSyntax Body, IOperation Root, SemanticModel Model, Compilation Compilation)> AcquiringBodies(
        IEnumerable<string> shapes, Func<Compilation, ResourceKind> kindOf)
    {
        var sources = RobustnessTests.MutantOrigins();
        sources.AddRange(shapes);
        sources.AddRange(Repository.SourcesUnder("Samples"));
        foreach (string source in sources)
        {
            var (tree, compilation, model) = Repository.Compile(source);
            var kind = kindOf(compilation);
            foreach (var body in tree.GetRoot().DescendantNodes().OfType<BaseMethodDeclarationSyntax>())
            {
                if (!body.ContainsDiagnostics && model.GetOperation(body) is { } root
                    && OperationTrees.Of(root).OfType<IInvocationOperation>().Any(kind.Acquires))
                    yield return (body, root, model, compilation);
            }
        }
    }
}
