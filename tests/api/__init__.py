"""Tests of the Spotify Web API client."""
