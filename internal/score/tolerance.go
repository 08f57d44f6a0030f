package score

// TierTolerance is how far below a tier threshold a score may fall and
// still meet it (floating-point noise from weighted means). Engines that
// solve for the point where a tier changes use it to agree with Aggregate.
const TierTolerance = eps
