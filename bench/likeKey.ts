/** Names one like, so the liker's send time and the author's receipt can be matched up. */
export const likeKey = (postId: string, userId: string): string => `${postId} ${userId}`;
