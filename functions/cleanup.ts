// Placeholder until the reset-token cleanup lands (issue 4).
export const handler = async () => ({ removed: 0 });
